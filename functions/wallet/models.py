"""The wallet API's own response shape; a wallet and its entries are shared views (twtc_core.wallet_views),
also used by the GDPR export."""

from __future__ import annotations

from pydantic import BaseModel

from twtc_core.wallet_views import TransactionOut


class TransactionPageOut(BaseModel):
    items: list[TransactionOut]
    next_cursor: str | None
