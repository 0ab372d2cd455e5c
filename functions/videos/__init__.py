"""Tourism videos for boosts: `GET /v1/videos`."""
