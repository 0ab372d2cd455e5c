"""Lobby function: `GET /v1/hosts` (the host lobby) and `GET /v1/users/{id}/presence`."""
