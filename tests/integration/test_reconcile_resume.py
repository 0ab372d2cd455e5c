"""Reconciliation that resumes: a run stopped before its deadline and continued by the next scheduled tick
reports exactly what one uninterrupted run does, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from functions.reconcile.handler import lambda_handler
from tests.support.events import FakeLambdaContext, event
from tests.support.ledger import capture, credit, debit
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.reconcile import (
    STOP_MARGIN_MS,
    Progress,
    ReconciliationReport,
    advance_reconciliation,
    reconcile,
)
from twtc_core.ledger.store import PlatformShardItem, WalletItem, wallet_key
from twtc_core.observability import metrics

USERS = tuple(f"u{n}" for n in range(12))
DAY = 24 * 3600
TICK = 5 * 60  # the schedule's rate
LEASE_MS = 2 * 60 * 1000  # each tick's lifetime: shorter than the rate, so the next tick may take over
SEGMENTS = 2
PAGE_LIMIT = 3  # a few items a page, so that a small ledger takes many rounds


@pytest.fixture
def ledger(aws: dict[str, str], clock: Any) -> Ledger:
    """Twelve funded wallets, funded on a day that has since closed."""
    ledger = Ledger()
    for user_id in USERS:
        ledger.open_wallet(user_id)
        credit(ledger, f"seed:{user_id}", user_id, 10_000)
    clock.advance(DAY)
    return ledger


def time_for(rounds: int) -> Callable[[], int]:
    """A Lambda context's remaining time that allows `rounds` rounds (after the lease), then runs out."""
    answers = iter([LEASE_MS] * (rounds + 1))
    return lambda: next(answers, STOP_MARGIN_MS)


def tick(rounds: int) -> Progress:
    return advance_reconciliation(time_for(rounds), segments=SEGMENTS, page_limit=PAGE_LIMIT)


def run_in_ticks(clock: Any, between: Callable[[int], None] = lambda n: None) -> list[Progress]:
    """Scheduled ticks, each allowed one round of pages, until the run finishes."""
    ticks = [tick(1)]
    while ticks[-1].status != "finished":
        assert ticks[-1].status == "paused" and len(ticks) < 100, ticks[-1]
        between(len(ticks))
        clock.advance(TICK)
        ticks.append(tick(1))
    return ticks


def uninterrupted() -> ReconciliationReport:
    return reconcile(segments=SEGMENTS, page_limit=PAGE_LIMIT)


def edit_wallet_balance(user_id: str, by: int) -> None:
    WalletItem.get(wallet_key(user_id), "WALLET").update(
        actions=[WalletItem.balance.add(by), WalletItem.available.add(by)]
    )


def edit_platform_counter(by: int) -> None:
    shard = next(PlatformShardItem.scan(PlatformShardItem.pk.startswith("PLATFORM#REWARDS_POOL#")))
    shard.update(actions=[PlatformShardItem.balance.add(by)])


DRIFTS: dict[str, Callable[[], None]] = {
    "none": lambda: None,
    "wallet": lambda: edit_wallet_balance("u3", 50),
    "platform": lambda: edit_platform_counter(-7),
}


@pytest.mark.parametrize("drift", DRIFTS)
def test_a_run_resumed_after_every_round_reports_exactly_what_one_run_does(
    ledger: Ledger, clock: Any, drift: str
) -> None:
    # Given a ledger, with or without a drift, and what one uninterrupted run reports on it
    DRIFTS[drift]()
    expected = uninterrupted()
    assert expected.ok is (drift == "none")
    # When the scheduled run may read only one round of pages per tick
    ticks = run_in_ticks(clock)
    # Then it took many ticks, and the one that finished reports exactly the same
    assert len(ticks) > 4
    assert ticks[-1].report == expected


def test_movements_landing_between_ticks_raise_no_alarm_and_hide_no_drift(ledger: Ledger, clock: Any) -> None:
    # Given u3's wallet 50 coins richer than its entries
    edit_wallet_balance("u3", 50)

    def movements(n: int) -> None:
        for user_id in ("u3", USERS[n % len(USERS)]):
            credit(ledger, f"c:{user_id}:{n}", user_id, 100)
            debit(ledger, f"d:{user_id}:{n}", user_id, 40)
            hold = ledger.hold(
                hold_id=f"h:{user_id}:{n}", user_id=user_id, amount=30, purpose=EntryType.CALL_CHARGE
            )
            capture(ledger, hold.id, user_id, f"m:{user_id}:{n}", 10)

    # When every wallet keeps moving between the ticks of a resumed run
    report = run_in_ticks(clock, between=movements)[-1].report
    # Then only that drift is reported, and the global sum is exactly it
    assert report is not None
    assert [(m.user_id, m.field, m.stored - m.expected) for m in report.mismatches] == [("u3", "balance", 50)]
    assert (report.platform_mismatches, report.global_sum, report.unverified_holds) == ([], 50, [])
    assert report.wallets_checked == len(USERS)


def test_only_the_tick_that_finishes_the_run_reports_its_completion(ledger: Ledger, clock: Any) -> None:
    metrics.clear_metrics()
    try:
        # Given a run paused after its first round
        first = tick(1)
        assert first.status == "paused" and "LedgerReconciliationsCompleted" not in metrics.metric_set
        # When later ticks finish it, and another tick comes after
        clock.advance(TICK)
        finished = tick(1000)
        completed = metrics.metric_set["LedgerReconciliationsCompleted"]["Value"]
        clock.advance(TICK)
        after = tick(1000)
        # Then the run was completed once, and the tick after it had nothing to do
        assert finished.status == "finished" and finished.report is not None and finished.report.ok
        assert completed == [1.0]
        assert after.status == "done_already"
        assert metrics.metric_set["LedgerReconciliationsCompleted"]["Value"] == [1.0]
    finally:
        metrics.clear_metrics()


def test_a_tick_leaves_a_run_another_invocation_holds_until_its_lease_ends(
    ledger: Ledger, clock: Any
) -> None:
    # Given a run whose invocation stopped after one round but is still within its lifetime
    assert tick(1).status == "paused"
    # When another tick comes within that lifetime, then after it
    during = tick(1000)
    clock.advance(LEASE_MS / 1000)
    after = tick(1000)
    # Then the first leaves it alone and the second takes it over and finishes it
    assert (during.status, after.status) == ("busy", "finished")
    assert after.report == uninterrupted()


def test_the_day_s_run_starts_only_once_the_day_before_has_closed(ledger: Ledger, clock: Any) -> None:
    # Given yesterday's run finished, and today's clock 20 minutes past midnight
    finished = tick(1000)
    assert finished.status == "finished"
    now = clock.advance(0)
    clock.advance(DAY - (now.hour * 3600 + now.minute * 60) + 20 * 60)
    # When ticks come before and after half past midnight
    early = tick(1000)
    clock.advance(15 * 60)
    late = tick(1000)
    # Then the early tick belongs to the finished day, the late one runs the new day's checks
    assert (early.day, early.status) == (finished.day, "done_already")
    assert late.status == "finished" and late.day > finished.day
    assert late.report is not None and late.report.checked_through_day == late.day


def test_the_handler_pauses_a_minute_before_its_timeout(ledger: Ledger, clock: Any) -> None:
    # Given an invocation with less than the margin left
    result = lambda_handler(event("eventbridge_ledger_reconcile"), FakeLambdaContext(remaining_ms=59_000))
    # Then it saves the run and leaves it to the next tick
    assert result["status"] == "paused"
    # And the next tick, once that invocation has ended, finishes it
    clock.advance(TICK)
    assert lambda_handler(event("eventbridge_ledger_reconcile"), FakeLambdaContext()) == {
        "ok": True,
        "wallets_checked": len(USERS),
        "mismatches": 0,
    }
