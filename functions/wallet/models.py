"""The wallet API's own response shape; a wallet and its entries are shared views (twtc_core.wallet_views),
also used by the GDPR export."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from twtc_core.wallet_views import TRANSACTION_EXAMPLE, TransactionOut


class TransactionPageOut(BaseModel):
    """A page of entries, newest first; `next_cursor` is opaque (null on the last page)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [TRANSACTION_EXAMPLE],
                    "next_cursor": "q1ZKzs8tyM9LzStRslIqLU4tUqoFAA",
                }
            ]
        }
    )

    items: list[TransactionOut]
    next_cursor: str | None
