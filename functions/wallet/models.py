"""The wallet API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel

from twtc_core.wallet_views import TransactionOut, WalletOut

__all__ = ["TransactionOut", "TransactionPageOut", "WalletOut"]


class TransactionPageOut(BaseModel):
    items: list[TransactionOut]
    next_cursor: str | None
