"""Profile function: `GET/PATCH /v1/me`, `GET /v1/me/export`, `DELETE /v1/me`."""
