"""Wallet rules: what a user may see of their own wallet."""

from __future__ import annotations

from functions.wallet.models import TransactionPageOut
from twtc_core.ledger import Ledger
from twtc_core.wallet_views import TransactionOut, WalletOut


def wallet_summary(ledger: Ledger, user_id: str) -> WalletOut:
    return WalletOut.from_wallet(ledger.get_wallet(user_id))


def transactions(ledger: Ledger, user_id: str, limit: int, cursor: str | None) -> TransactionPageOut:
    page = ledger.history(user_id, limit, cursor)
    return TransactionPageOut(
        items=[TransactionOut.from_entry(entry) for entry in page.items], next_cursor=page.next_cursor
    )
