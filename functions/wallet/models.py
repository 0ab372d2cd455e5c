"""The wallet API's own response shape; a wallet and its entries are shared views (twtc_core.wallet_views),
also used by the GDPR export."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from twtc_core.wallet_views import TransactionOut


class TransactionPageOut(BaseModel):
    """A page of entries, newest first; `next_cursor` is opaque (null on the last page)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": "signup_bonus:3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11",
                            "type": "SIGNUP_BONUS",
                            "amount": 1000,
                            "balance_after": 1000,
                            "description": "Sign-up bonus",
                            "created_at": "2026-12-01T09:00:05Z",
                        }
                    ],
                    "next_cursor": "q1ZKzs8tyM9LzStRslIqLU4tUqoFAA",
                }
            ]
        }
    )

    items: list[TransactionOut]
    next_cursor: str | None
