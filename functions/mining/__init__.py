"""Mining function: `GET /v1/mining` and `POST /v1/mining/sessions`."""
