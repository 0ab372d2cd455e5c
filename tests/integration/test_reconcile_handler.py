"""The daily reconciliation Lambda with its EventBridge scheduled event."""

from __future__ import annotations

from typing import Any

from functions.reconcile.handler import lambda_handler
from tests.support.events import FakeLambdaContext, event
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.store import WalletItem, wallet_key

USER = "6f1c9a2e-1111-4a5b-9c3d-00000000000a"


def credited_wallet() -> Ledger:
    ledger = Ledger()
    ledger.open_wallet(USER)
    ledger.credit(
        entry_id=f"signup:{USER}",
        user_id=USER,
        amount=1000,
        entry_type=EntryType.SIGNUP_BONUS,
        description="Welcome",
    )
    return ledger


def test_a_consistent_ledger_reconciles(aws: dict[str, str]) -> None:
    credited_wallet()
    result = lambda_handler(event("eventbridge_ledger_reconcile"), FakeLambdaContext())
    assert result == {"ok": True, "wallets_checked": 1, "mismatches": 0}


def test_a_tampered_wallet_is_reported_not_repaired(aws: dict[str, str]) -> None:
    credited_wallet()
    wallet: Any = WalletItem.get(wallet_key(USER), "WALLET")
    wallet.update(actions=[WalletItem.balance.set(5000)])
    result = lambda_handler(event("eventbridge_ledger_reconcile"), FakeLambdaContext())
    assert result["ok"] is False and result["mismatches"] >= 1
    assert WalletItem.get(wallet_key(USER), "WALLET").balance == 5000
