"""Reconciliation (spec §2): proves the ledger adds up, and reports — never repairs — any difference.

Checks, for every wallet: `balance == Σ its entries`, `held == Σ what its open holds still reserve`,
`available == balance - held`; for every platform account: `balance == -Σ its entries`; and so for the
whole ledger `Σ wallet balances + Σ platform accounts == 0`. It scans, so it runs as a job or
`make reconcile`, never on a request path.

A consistent cut, so that movements landing while it runs are neither reported nor able to hide a drift:
- Wallets are scanned first. Every movement bumps the wallet's version by one in the same transaction
  that writes its entry, and the entry records the version it produced (`wallet_version`). So a wallet
  read at version v includes exactly its entries with `wallet_version <= v`; all of those were committed
  before that read, hence are seen by the entry scan that follows; later ones are left out by their stamp.
- Holds: the wallet lists its open holds (`open_holds`), written in the same transactions as `held`.
  The wallet and those holds are read in one TransactGetItems (serializable: one instant); if the list
  changed since the scan, the read is repeated with the new list. A busy wallet is thus compared at an
  instant, not across two scans, so a real drift is reported however much the wallet moves.
- Platform accounts: their counters are split by the day of each entry's `created_at`, so a day closed
  for longer than SETTLE (more than any transaction takes between stamping `created_at` and committing)
  can no longer change: its counters are compared with exactly the entries stamped that day.
- The global sum is the sum of those drifts: each account is compared at its own exact cut, and every
  entry moves the same amount out of one account and into another, so the accounts sum to zero at any
  instant if and only if no account drifts.

Wallets, then entries with counters, are read by parallel scan segments (SEGMENTS threads).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain
from typing import TypeVar

from twtc_core.clock import utc_now
from twtc_core.ledger.store import EntryFact, LedgerStore, WalletState
from twtc_core.observability import logger, metrics

SEGMENTS = 4
SETTLE = timedelta(minutes=15)  # the longest a Lambda runs: no movement commits later than this
SNAPSHOT_ATTEMPTS = 5
MAX_SNAPSHOT_HOLDS = 99  # TransactGetItems reads at most 100 items: the wallet and its holds

T = TypeVar("T")


@dataclass(frozen=True)
class WalletMismatch:
    user_id: str
    field: str
    stored: int
    expected: int


@dataclass(frozen=True)
class PlatformMismatch:
    account: str
    stored: int
    expected: int


@dataclass(frozen=True)
class ReconciliationReport:
    wallets_checked: int
    entries_checked: int
    mismatches: list[WalletMismatch] = field(default_factory=list)
    platform_mismatches: list[PlatformMismatch] = field(default_factory=list)
    platform_balances: dict[str, int] = field(default_factory=dict)
    global_sum: int = 0
    unverified_holds: list[str] = field(default_factory=list)  # wallets whose holds kept changing
    checked_through_day: str = ""  # platform counters are compared for the days before this one

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.platform_mismatches and self.global_sum == 0


def reconcile(store: LedgerStore | None = None, segments: int = SEGMENTS) -> ReconciliationReport:
    """Check the ledger at a consistent cut (see the module's docstring)."""
    store = store or LedgerStore()
    open_day = (utc_now() - SETTLE).date().isoformat()
    wallets = {wallet.user_id: wallet for wallet in _scanned(store.scan_wallets, segments)}

    entry_sums: Counter[str] = Counter()
    platform_expected: Counter[str] = Counter()
    platform_closed: Counter[str] = Counter()
    platform_total: Counter[str] = Counter()
    entries_checked = 0
    for item in _scanned(store.scan_entries_and_shards, segments):
        if isinstance(item, EntryFact):
            entries_checked += 1
            wallet = wallets.get(item.user_id)
            if wallet is not None and (item.wallet_version is None or item.wallet_version <= wallet.version):
                entry_sums[item.user_id] += item.amount
            if item.day < open_day:
                platform_expected[item.platform_account] -= item.amount
        else:
            platform_total[item.account] += item.balance
            if item.day < open_day:
                platform_closed[item.account] += item.balance

    mismatches: list[WalletMismatch] = []
    for wallet in wallets.values():
        mismatches += _balance_mismatches(wallet, entry_sums[wallet.user_id])
    holding = [wallet for wallet in wallets.values() if wallet.open_holds or wallet.held]
    with ThreadPoolExecutor(max_workers=segments) as pool:
        held_checks = list(pool.map(lambda wallet: _held_mismatch(store, wallet), holding))
    unverified = [wallet.user_id for wallet, held in zip(holding, held_checks, strict=True) if held is None]
    mismatches += [held for held in held_checks if held is not None and held.stored != held.expected]
    platform_mismatches = [
        PlatformMismatch(account, platform_closed[account], platform_expected[account])
        for account in sorted(set(platform_closed) | set(platform_expected))
        if platform_closed[account] != platform_expected[account]
    ]
    drifts = chain(
        (m.stored - m.expected for m in mismatches if m.field == "balance"),
        (m.stored - m.expected for m in platform_mismatches),
    )
    return ReconciliationReport(
        wallets_checked=len(wallets),
        entries_checked=entries_checked,
        mismatches=mismatches,
        platform_mismatches=platform_mismatches,
        platform_balances=dict(platform_total),
        global_sum=sum(drifts),
        unverified_holds=unverified,
        checked_through_day=open_day,
    )


def _scanned(scan: Callable[[int, int], Iterable[T]], segments: int) -> Iterator[T]:
    """All segments of a parallel scan, read concurrently."""
    with ThreadPoolExecutor(max_workers=segments) as pool:
        parts = list(pool.map(lambda segment: list(scan(segment, segments)), range(segments)))
    return chain.from_iterable(parts)


def _balance_mismatches(wallet: WalletState, entry_sum: int) -> list[WalletMismatch]:
    return [
        WalletMismatch(wallet.user_id, name, stored, expected)
        for name, stored, expected in (
            ("balance", wallet.balance, entry_sum),
            ("available", wallet.available, wallet.balance - wallet.held),
        )
        if stored != expected
    ]


def _held_mismatch(store: LedgerStore, wallet: WalletState) -> WalletMismatch | None:
    """`held` against its open holds at one instant; None when the holds kept changing under us."""
    hold_ids = wallet.open_holds
    for _ in range(SNAPSHOT_ATTEMPTS):
        if len(hold_ids) > MAX_SNAPSHOT_HOLDS:
            return None
        snapshot = store.snapshot_holds(wallet.user_id, hold_ids)
        if snapshot.wallet is None:
            return None  # erased since the scan: nothing left to compare
        if snapshot.wallet.open_holds == hold_ids:
            return WalletMismatch(
                wallet.user_id, "held", snapshot.wallet.held, sum(snapshot.reserved.values())
            )
        hold_ids = snapshot.wallet.open_holds
    return None


def report_findings(report: ReconciliationReport) -> None:
    """Log and count what reconciliation found; an operator decides what to do about it."""
    mismatches = len(report.mismatches) + len(report.platform_mismatches)
    metrics.add_metric(name="LedgerMismatches", unit="Count", value=mismatches)
    # Its size, for an alarm on "not zero" (an alarm compares one way); the signed sum is in the log.
    metrics.add_metric(name="LedgerGlobalSumAbs", unit="Count", value=abs(report.global_sum))
    metrics.add_metric(name="LedgerWalletsUnverified", unit="Count", value=len(report.unverified_holds))
    # The "missed run" alarm waits for this: a run that fails or times out never reaches it.
    metrics.add_metric(name="LedgerReconciliationsCompleted", unit="Count", value=1)
    for mismatch in report.mismatches:
        logger.error("wallet does not match its entries", extra=mismatch.__dict__)
    for platform_mismatch in report.platform_mismatches:
        logger.error("platform account does not match its entries", extra=platform_mismatch.__dict__)
    if report.unverified_holds:
        logger.warning("holds kept changing; held not checked", extra={"wallets": report.unverified_holds})
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
