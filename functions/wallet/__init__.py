"""Wallet function: `GET /v1/wallet`, `GET /v1/wallet/transactions`."""
