"""Auth function: `POST /v1/auth/signup`, `/confirm`, `/login`, `/refresh` (Cognito behind them)."""
