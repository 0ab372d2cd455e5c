"""Reconciliation (spec §2): proves the ledger adds up, and reports — never repairs — any difference.

Checks, for every wallet: `balance == Σ its entries`, `held == Σ what its holds still reserve`,
`available == balance - held`; and for the whole ledger: `Σ wallet balances + Σ platform accounts == 0`.
It reads every item once (scans), so it runs as a job or `make reconcile`, never on a request path.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field, replace

from twtc_core.ledger.models import HoldStatus
from twtc_core.ledger.store import LedgerStore
from twtc_core.observability import logger, metrics


@dataclass(frozen=True)
class WalletMismatch:
    user_id: str
    field: str
    stored: int
    expected: int


@dataclass(frozen=True)
class ReconciliationReport:
    wallets_checked: int
    entries_checked: int
    mismatches: list[WalletMismatch] = field(default_factory=list)
    platform_balances: dict[str, int] = field(default_factory=dict)
    global_sum: int = 0

    @property
    def ok(self) -> bool:
        return not self.mismatches and self.global_sum == 0


def reconcile(store: LedgerStore | None = None) -> ReconciliationReport:
    """Check the ledger; a difference is reported only if a second pass finds it again.

    The scans read one item type after another, so a movement committed between two of them looks like
    a difference for a moment; a real one (an edit behind the ledger's back, a lost write) persists.
    """
    store = store or LedgerStore()
    first = _pass(store)
    if first.ok:
        return first
    second = _pass(store)
    persisting = set(first.mismatches) & set(second.mismatches)
    return replace(
        second,
        mismatches=[mismatch for mismatch in second.mismatches if mismatch in persisting],
        global_sum=second.global_sum if first.global_sum and second.global_sum else 0,
    )


def _pass(store: LedgerStore) -> ReconciliationReport:
    entry_sums: Counter[str] = Counter()
    entries_checked = 0
    for entry in store.scan_entries():
        entry_sums[entry.user_id] += int(entry.amount)
        entries_checked += 1

    reserved: Counter[str] = Counter()
    for hold in store.scan_holds():
        if hold.status == HoldStatus.OPEN.value:
            reserved[hold.user_id] += int(hold.amount - hold.captured - hold.released)

    platform: Counter[str] = Counter()
    for shard in store.scan_platform_shards():
        platform[shard.account] += int(shard.balance)

    mismatches: list[WalletMismatch] = []
    wallets_checked = 0
    wallet_total = 0
    for wallet in store.scan_wallets():
        wallets_checked += 1
        balance, held, available = int(wallet.balance), int(wallet.held), int(wallet.available)
        wallet_total += balance
        for name, stored, expected in (
            ("balance", balance, entry_sums[wallet.user_id]),
            ("held", held, reserved[wallet.user_id]),
            ("available", available, balance - held),
        ):
            if stored != expected:
                mismatches.append(WalletMismatch(wallet.user_id, name, stored, expected))

    return ReconciliationReport(
        wallets_checked=wallets_checked,
        entries_checked=entries_checked,
        mismatches=mismatches,
        platform_balances=dict(platform),
        global_sum=wallet_total + sum(platform.values()),
    )


def report_findings(report: ReconciliationReport) -> None:
    """Log and count what reconciliation found; an operator decides what to do about it."""
    metrics.add_metric(name="LedgerMismatches", unit="Count", value=len(report.mismatches))
    metrics.add_metric(name="LedgerGlobalSum", unit="Count", value=report.global_sum)
    for mismatch in report.mismatches:
        logger.error("wallet does not match its entries", extra=mismatch.__dict__)
    if report.global_sum:
        logger.error("accounts do not sum to zero", extra={"global_sum": report.global_sum})
    logger.info(
        "reconciliation finished",
        extra={"wallets": report.wallets_checked, "entries": report.entries_checked, "ok": report.ok},
    )


def main() -> int:
    report = reconcile()
    report_findings(report)
    metrics.flush_metrics()
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
