"""Daily tasks: `GET /v1/tasks/today`, `POST /v1/tasks/{id}/start`, `POST /v1/tasks/{id}/complete`,
`GET /v1/me/achievements`."""
