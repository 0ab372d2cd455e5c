"""Withdrawals function: `POST /v1/wallet/withdrawals` (honours `Idempotency-Key`) and my list."""
