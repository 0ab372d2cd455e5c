"""Reconciliation at a consistent cut: movements landing while it runs are never reported, and a real
drift is reported even on a wallet that keeps moving."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

import pytest

from tests.support.ledger import capture, credit, debit
from twtc_core.ledger import EntryType, InsufficientFunds, Ledger
from twtc_core.ledger.reconcile import ReconciliationReport, WalletMismatch, reconcile
from twtc_core.ledger.store import PlatformShardItem, WalletItem, wallet_key

USERS = ("u1", "u2", "u3")
DAY = 24 * 3600


@pytest.fixture
def ledger(aws: dict[str, str], clock: Any) -> Ledger:
    """Three funded wallets, funded on a day that has since closed."""
    ledger = Ledger()
    for user_id in USERS:
        ledger.open_wallet(user_id)
        ledger.credit(
            entry_id=f"seed:{user_id}",
            user_id=user_id,
            amount=100_000,
            entry_type=EntryType.SIGNUP_BONUS,
            description="seed",
        )
    clock.advance(DAY)
    return ledger


def busy_wallet_traffic(ledger: Ledger, user_id: str, stop: threading.Event) -> Callable[[], None]:
    """Credits, debits, holds, partial captures and releases on one wallet, until told to stop."""
    ids = count()

    def run() -> None:
        while not stop.is_set():
            n = next(ids)
            try:
                credit(ledger, f"c:{user_id}:{n}", user_id, 100)
                debit(ledger, f"d:{user_id}:{n}", user_id, 40)
                hold = ledger.hold(
                    hold_id=f"h:{user_id}:{n}", user_id=user_id, amount=300, purpose=EntryType.CALL_CHARGE
                )
                capture(ledger, hold.id, user_id, f"m:{user_id}:{n}", 100)
                if n % 2:
                    ledger.release(hold_id=hold.id, user_id=user_id)
            except InsufficientFunds:
                return

    return run


@contextmanager
def traffic(ledger: Ledger, users: tuple[str, ...] = USERS) -> Iterator[list[threading.Thread]]:
    stop = threading.Event()
    threads = [threading.Thread(target=busy_wallet_traffic(ledger, user_id, stop)) for user_id in users]
    for thread in threads:
        thread.start()
    try:
        yield threads
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def movements_so_far(ledger: Ledger) -> int:
    return sum(ledger.get_wallet(user_id).total_earned for user_id in USERS)


def test_movements_landing_throughout_both_scans_raise_no_alarm(ledger: Ledger) -> None:
    # Given every wallet moving without pause, on threads
    reports: list[ReconciliationReport] = []
    with traffic(ledger):
        before = movements_so_far(ledger)
        # When reconciliation runs, again and again, while they move
        for _ in range(3):
            reports.append(reconcile())
        during = movements_so_far(ledger) - before
    # Then no run reports anything, although movements landed during every run
    assert during > 0
    assert all(report.ok and not report.unverified_holds for report in reports), reports
    # And once the traffic stops, the ledger is whole at the next closed day too
    assert reconcile().ok


def test_a_credit_landing_between_the_wallet_scan_and_the_entry_scan_is_not_reported(ledger: Ledger) -> None:
    # Given a credit that commits right after the wallets were read, before the entries are
    events = WalletItem._get_connection().connection.client.meta.events
    landed: list[Any] = []

    def credit_once(**_: Any) -> None:
        if not landed:
            landed.append(
                ledger.credit(
                    entry_id="mid", user_id="u1", amount=100, entry_type=EntryType.TASK, description="x"
                )
            )

    events.register("after-call.dynamodb.Scan", credit_once, unique_id="credit-once")
    try:
        report = reconcile(segments=1)
    finally:
        events.unregister("after-call.dynamodb.Scan", unique_id="credit-once")
    # Then it is simply after the cut: not counted against the wallet, not reported
    assert landed and report.ok, report
    assert ledger.get_wallet("u1").balance == 100_100


@pytest.mark.parametrize("field", ["held", "balance"])
def test_a_real_drift_on_a_busy_wallet_is_reported_every_time(ledger: Ledger, field: str) -> None:
    # Given u1's wallet edited behind the ledger's back by 50, then kept busy
    attribute = WalletItem.held if field == "held" else WalletItem.balance
    WalletItem.get(wallet_key("u1"), "WALLET").update(
        actions=[attribute.add(50), WalletItem.available.add(-50 if field == "held" else 50)]
    )
    reports: list[ReconciliationReport] = []
    with traffic(ledger, ("u1",)):
        for _ in range(3):
            reports.append(reconcile())
    # Then every run reports exactly that drift, whatever the wallet's figures were at the time
    for report in reports:
        assert [(m.user_id, m.field, m.stored - m.expected) for m in report.mismatches] == [("u1", field, 50)]
        assert report.global_sum == (50 if field == "balance" else 0)


def test_a_platform_counter_edited_on_a_closed_day_is_reported_and_breaks_the_global_sum(
    ledger: Ledger,
) -> None:
    shard = next(PlatformShardItem.scan(PlatformShardItem.pk.startswith("PLATFORM#REWARDS_POOL#")))
    shard.update(actions=[PlatformShardItem.balance.add(-7)])
    report = reconcile()
    assert [(m.account, m.stored - m.expected) for m in report.platform_mismatches] == [("REWARDS_POOL", -7)]
    assert report.global_sum == -7 and not report.ok


def test_a_held_drift_with_no_open_hold_is_reported(ledger: Ledger) -> None:
    WalletItem.get(wallet_key("u2"), "WALLET").update(
        actions=[WalletItem.held.add(5), WalletItem.available.add(-5)]
    )
    assert reconcile().mismatches == [WalletMismatch("u2", "held", 5, 0)]


def test_parallel_segments_read_every_item_once(ledger: Ledger) -> None:
    for n in range(40):
        ledger.open_wallet(f"w{n}")
        ledger.credit(
            entry_id=f"w{n}", user_id=f"w{n}", amount=n + 1, entry_type=EntryType.TASK, description="x"
        )
    one, four = reconcile(segments=1), reconcile(segments=4)
    assert (
        (one.wallets_checked, one.entries_checked) == (four.wallets_checked, four.entries_checked) == (43, 43)
    )
    assert one.ok and four.ok
