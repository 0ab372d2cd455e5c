"""Withdrawals function: `POST /v1/wallet/withdrawals` (with `Idempotency-Key`), `GET /v1/wallet/withdrawals`."""
