"""The daily reconciliation Lambda with its EventBridge scheduled event."""

from __future__ import annotations

from typing import Any

from functions.reconcile.handler import lambda_handler
from tests.support.events import FakeLambdaContext, event
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.reconcile import reconcile, report_findings
from twtc_core.ledger.store import WalletItem, wallet_key
from twtc_core.observability import metrics

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


def test_a_run_reports_its_findings_and_its_completion_as_metrics_for_the_alarms(aws: dict[str, str]) -> None:
    # Given a wallet 50 coins richer than its entries
    credited_wallet()
    WalletItem.get(wallet_key(USER), "WALLET").update(
        actions=[WalletItem.balance.add(50), WalletItem.available.add(50)]
    )
    metrics.clear_metrics()
    try:
        # When the scheduled run reports
        report = reconcile()
        report_findings(report)
        emitted = {name: metric["Value"] for name, metric in metrics.metric_set.items()}
    finally:
        metrics.clear_metrics()
    # Then the alarms' metrics say so: one mismatch, a global sum 50 off, and a finished run
    assert emitted["LedgerMismatches"] == [1.0]
    assert emitted["LedgerGlobalSumAbs"] == [50.0]
    assert emitted["LedgerReconciliationsCompleted"] == [1.0]
