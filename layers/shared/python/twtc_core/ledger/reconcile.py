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

Each wallet is checked on its own: its balance against Σ its entries through the history index, up to the
version read. A run therefore carries no per-wallet state, only each segment's scan position and running
totals, and can stop after any round of pages and be resumed (`advance_reconciliation`): the run of a day
is saved in the ledger table (`RECONCILE#<day>`) after every round, under a lease held by one invocation.
The history index is eventually consistent: a balance that differs is re-checked at the end of the run,
with the same version, and reported only if it still differs (an entry not yet indexed is no drift).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from twtc_core.clock import iso, utc_now
from twtc_core.ledger.store import Checkpoint, EntryFact, LedgerStore, ScanKey, StaleWrite, WalletState
from twtc_core.observability import logger, metrics

SEGMENTS = 4
RUN_SEGMENTS = 16  # a scheduled run's segments, fixed for the run: its positions are saved per segment
SETTLE = timedelta(minutes=15)  # the longest a Lambda runs: no movement commits later than this
# A day's scheduled run starts once the day before has been closed for SETTLE.
RUN_STARTS_AFTER = SETTLE * 2
STOP_MARGIN_MS = 60_000  # a round of pages takes seconds; stop well before Lambda's timeout
SNAPSHOT_ATTEMPTS = 5
MAX_SNAPSHOT_HOLDS = 99  # TransactGetItems reads at most 100 items: the wallet and its holds
PHASES = ("wallets", "entries")


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


@dataclass
class _Run:
    """A run's progress: plain JSON, saved after every round of pages."""

    checked_through_day: str
    segments: int
    phase: int = 0  # index into PHASES; len(PHASES) when every scan is done
    positions: list[ScanKey | None] = field(default_factory=list)  # per segment; None: not started
    finished_segments: list[int] = field(default_factory=list)
    wallets_checked: int = 0
    entries_checked: int = 0
    mismatches: list[list[Any]] = field(default_factory=list)  # [user_id, field, stored, expected]
    differing_balances: list[list[Any]] = field(default_factory=list)  # [user_id, version, stored, sum]
    unverified_holds: list[str] = field(default_factory=list)
    platform_expected: dict[str, int] = field(default_factory=dict)
    platform_closed: dict[str, int] = field(default_factory=dict)
    platform_total: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(cls, now: datetime, segments: int) -> _Run:
        return cls((now - SETTLE).date().isoformat(), segments, positions=[None] * segments)

    @property
    def finished(self) -> bool:
        return self.phase == len(PHASES)


@dataclass(frozen=True)
class _Page:
    """What one page of one segment found, added to the run once the whole round is read."""

    segment: int
    next_key: ScanKey | None
    wallets: int = 0
    entries: int = 0
    mismatches: list[WalletMismatch] = field(default_factory=list)
    differing_balances: list[tuple[str, int, int, int]] = field(default_factory=list)
    unverified_holds: list[str] = field(default_factory=list)
    platform_expected: Counter[str] = field(default_factory=Counter)
    platform_closed: Counter[str] = field(default_factory=Counter)
    platform_total: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Progress:
    """What one invocation did with the day's run."""

    day: str
    status: Literal["finished", "paused", "busy", "done_already"]
    report: ReconciliationReport | None = None  # when it finished in this invocation


def reconcile(
    store: LedgerStore | None = None, segments: int = SEGMENTS, page_limit: int | None = None
) -> ReconciliationReport:
    """Check the ledger at a consistent cut (see the module's docstring) in one go: `make reconcile`."""
    store = store or LedgerStore()
    run = _Run.start(utc_now(), segments)
    while not run.finished:
        _advance(store, run, page_limit)
    return _report(run)


def advance_reconciliation(
    time_left_ms: Callable[[], int],
    store: LedgerStore | None = None,
    segments: int = RUN_SEGMENTS,
    page_limit: int | None = None,
) -> Progress:
    """Start or resume the day's run and take it as far as `time_left_ms` allows (a scheduled tick).

    The run is saved after every round of pages, so the next tick resumes it where this one stopped; its
    findings are reported (with `LedgerReconciliationsCompleted`) once, by the invocation that finishes it.
    """
    store = store or LedgerStore()
    now = utc_now()
    day = (now - RUN_STARTS_AFTER).date().isoformat()
    saved = store.get_checkpoint(day)
    if saved is not None and saved.finished:
        return Progress(day, "done_already")
    if saved is not None and saved.lease_until > iso(now):
        return Progress(day, "busy")
    run = _Run(**saved.progress) if saved is not None else _Run.start(now, segments)
    lease_until = iso(now + timedelta(milliseconds=time_left_ms()))
    checkpoint = saved or Checkpoint(day, {}, finished=False, lease_until=lease_until, version=None)
    try:
        checkpoint = store.save_checkpoint(_leased(checkpoint, run, lease_until))
        while not run.finished and time_left_ms() > STOP_MARGIN_MS:
            _advance(store, run, page_limit)
            checkpoint = store.save_checkpoint(_leased(checkpoint, run, lease_until))
    except StaleWrite:
        return Progress(day, "busy")  # another invocation took the run over: its rounds count, not ours
    if not run.finished:
        logger.info("reconciliation paused", extra={"day": day, "phase": run.phase})
        return Progress(day, "paused")
    report = _report(run)
    report_findings(report)
    return Progress(day, "finished", report)


def _leased(checkpoint: Checkpoint, run: _Run, lease_until: str) -> Checkpoint:
    return Checkpoint(checkpoint.day, asdict(run), run.finished, lease_until, checkpoint.version)


def _advance(store: LedgerStore, run: _Run, page_limit: int | None) -> None:
    """One round: the next page of every unfinished segment of the current scan, read concurrently."""
    read_page = _wallet_page if PHASES[run.phase] == "wallets" else _entry_page
    pending = [segment for segment in range(run.segments) if segment not in run.finished_segments]
    with ThreadPoolExecutor(max_workers=len(pending)) as pool:
        pages = list(pool.map(lambda segment: read_page(store, run, segment, page_limit), pending))
    for page in pages:
        _add(run, page)
    if len(run.finished_segments) == run.segments:
        run.phase += 1
        run.positions, run.finished_segments = [None] * run.segments, []
    if run.finished:
        _confirm_differing_balances(store, run)


def _wallet_page(store: LedgerStore, run: _Run, segment: int, page_limit: int | None) -> _Page:
    wallets, next_key = store.scan_wallet_page(segment, run.segments, run.positions[segment], page_limit)
    mismatches: list[WalletMismatch] = []
    differing: list[tuple[str, int, int, int]] = []
    unverified: list[str] = []
    for wallet in wallets:
        entry_sum = store.entries_sum(wallet.user_id, wallet.version)
        if wallet.balance != entry_sum:
            differing.append((wallet.user_id, wallet.version, wallet.balance, entry_sum))
        if wallet.available != wallet.balance - wallet.held:
            mismatches.append(
                WalletMismatch(wallet.user_id, "available", wallet.available, wallet.balance - wallet.held)
            )
        if wallet.open_holds or wallet.held:
            held = _held_mismatch(store, wallet)
            if held is None:
                unverified.append(wallet.user_id)
            elif held.stored != held.expected:
                mismatches.append(held)
    return _Page(segment, next_key, len(wallets), 0, mismatches, differing, unverified)


def _entry_page(store: LedgerStore, run: _Run, segment: int, page_limit: int | None) -> _Page:
    facts, next_key = store.scan_entry_page(segment, run.segments, run.positions[segment], page_limit)
    page = _Page(segment, next_key)
    entries = 0
    for fact in facts:
        if isinstance(fact, EntryFact):
            entries += 1
            if fact.day < run.checked_through_day:
                page.platform_expected[fact.platform_account] -= fact.amount
        else:
            page.platform_total[fact.account] += fact.balance
            if fact.day < run.checked_through_day:
                page.platform_closed[fact.account] += fact.balance
    return replace(page, entries=entries)


def _add(run: _Run, page: _Page) -> None:
    run.positions[page.segment] = page.next_key
    if page.next_key is None:
        run.finished_segments.append(page.segment)
    run.wallets_checked += page.wallets
    run.entries_checked += page.entries
    run.mismatches += [[m.user_id, m.field, m.stored, m.expected] for m in page.mismatches]
    run.differing_balances += [list(difference) for difference in page.differing_balances]
    run.unverified_holds += page.unverified_holds
    for totals, found in (
        (run.platform_expected, page.platform_expected),
        (run.platform_closed, page.platform_closed),
        (run.platform_total, page.platform_total),
    ):
        for account, amount in found.items():
            totals[account] = totals.get(account, 0) + amount


def _confirm_differing_balances(store: LedgerStore, run: _Run) -> None:
    """A balance differing from its indexed entries is a drift only if it still differs now that the
    index has caught up: the same entries (up to the version read) are summed again."""
    for user_id, version, stored, _ in run.differing_balances:
        entry_sum = store.entries_sum(user_id, version)
        if stored != entry_sum:
            run.mismatches.append([user_id, "balance", stored, entry_sum])
    run.differing_balances = []


def _report(run: _Run) -> ReconciliationReport:
    field_order = {"balance": 0, "available": 1, "held": 2}
    mismatches = sorted(
        (WalletMismatch(*mismatch) for mismatch in run.mismatches),
        key=lambda m: (m.user_id, field_order[m.field]),
    )
    accounts = sorted(set(run.platform_closed) | set(run.platform_expected))
    platform_mismatches = [
        PlatformMismatch(account, run.platform_closed.get(account, 0), run.platform_expected.get(account, 0))
        for account in accounts
        if run.platform_closed.get(account, 0) != run.platform_expected.get(account, 0)
    ]
    global_sum = sum(m.stored - m.expected for m in mismatches if m.field == "balance") + sum(
        m.stored - m.expected for m in platform_mismatches
    )
    return ReconciliationReport(
        wallets_checked=run.wallets_checked,
        entries_checked=run.entries_checked,
        mismatches=mismatches,
        platform_mismatches=platform_mismatches,
        platform_balances=dict(run.platform_total),
        global_sum=global_sum,
        unverified_holds=sorted(run.unverified_holds),
        checked_through_day=run.checked_through_day,
    )


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
