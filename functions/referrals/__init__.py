"""Referrals function: `GET /v1/referrals`."""
