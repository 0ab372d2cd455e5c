"""The ledger against moto's DynamoDB: exact amounts, idempotent ids, holds, and real thread races."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest

from tests.support.ledger import credit, debit
from twtc_core import errors
from twtc_core.dynamo import Transaction
from twtc_core.ledger import (
    Entry,
    EntryType,
    HoldClosed,
    IdempotencyMismatch,
    InsufficientFunds,
    Ledger,
    PlatformAccount,
    WalletNotFound,
)
from twtc_core.ledger.reconcile import reconcile
from twtc_core.ledger.service import CaptureExceedsHold, InvalidAmount
from twtc_core.ledger.store import WalletItem, wallet_key


@pytest.fixture
def ledger(aws: dict[str, str]) -> Ledger:
    return Ledger()


def fund(ledger: Ledger, user_id: str, amount: int) -> None:
    ledger.open_wallet(user_id)
    ledger.credit(
        entry_id=f"seed:{user_id}",
        user_id=user_id,
        amount=amount,
        entry_type=EntryType.SIGNUP_BONUS,
        description="seed",
    )


def test_credit_and_debit_move_exact_amounts_and_record_balance_after(ledger: Ledger) -> None:
    # Given a wallet with 10.00 TWTC
    fund(ledger, "u1", 1000)
    # When 3.33 TWTC is spent
    entry = debit(ledger, "call:c1:min:1", "u1", 333)
    # Then the wallet and the entry agree to the unit
    wallet = ledger.get_wallet("u1")
    assert (wallet.balance, wallet.held, wallet.available) == (667, 0, 667)
    assert (wallet.total_earned, wallet.total_spent) == (1000, 333)
    assert (entry.amount, entry.balance_after) == (-333, 667)
    assert (entry.debit_account, entry.credit_account) == ("user:u1", "CALL_REVENUE")
    assert reconcile().ok


def test_debit_beyond_available_is_refused_and_writes_nothing(ledger: Ledger) -> None:
    fund(ledger, "u1", 100)
    with pytest.raises(InsufficientFunds) as refused:
        debit(ledger, "call:c1:min:1", "u1", 101)
    assert refused.value.details == {"available": 100, "required": 101}
    assert ledger.get_wallet("u1").balance == 100
    assert [e.id for e in ledger.history("u1", 10, None).items] == ["seed:u1"]


@pytest.mark.parametrize("amount", [0, -5, 1.5, True])
def test_amounts_must_be_positive_whole_units(ledger: Ledger, amount: Any) -> None:
    fund(ledger, "u1", 100)
    with pytest.raises(InvalidAmount):
        debit(ledger, "bad", "u1", amount)


def test_movement_on_unknown_wallet_is_not_found(ledger: Ledger) -> None:
    with pytest.raises(WalletNotFound):
        debit(ledger, "x", "ghost", 1)


def test_the_same_entry_id_written_five_times_is_one_entry(ledger: Ledger) -> None:
    fund(ledger, "u1", 0 + 1)
    first = ledger.credit(
        entry_id="mining:s1", user_id="u1", amount=10000, entry_type=EntryType.MINING, description="mining"
    )
    replays = [
        ledger.credit(
            entry_id="mining:s1",
            user_id="u1",
            amount=10000,
            entry_type=EntryType.MINING,
            description="mining",
        )
        for _ in range(4)
    ]
    assert all(replay == first for replay in replays)
    assert ledger.get_wallet("u1").balance == 10001
    assert reconcile().ok


def test_the_same_entry_id_written_concurrently_pays_once(ledger: Ledger) -> None:
    fund(ledger, "u1", 1)

    def pay(_: int) -> Any:
        return ledger.credit(
            entry_id="referral:r1:referrer",
            user_id="u1",
            amount=10000,
            entry_type=EntryType.REFERRAL,
            description="referral",
        )

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(pay, range(5)))
    assert len({r.id for r in results}) == 1 and len({r.created_at for r in results}) == 1
    assert ledger.get_wallet("u1").balance == 10001
    assert len(ledger.history("u1", 100, None).items) == 2
    assert reconcile().ok


def test_a_replayed_debit_returns_its_first_result_even_when_funds_ran_out(ledger: Ledger) -> None:
    fund(ledger, "u1", 100)
    first = debit(ledger, "call:c1:min:1", "u1", 100)
    assert debit(ledger, "call:c1:min:1", "u1", 100) == first
    assert ledger.get_wallet("u1").balance == 0


def test_fifty_threads_racing_debits_never_overdraw(ledger: Ledger) -> None:
    # Given 10.00 TWTC and 50 concurrent 0.30 TWTC debits
    fund(ledger, "u1", 1000)
    amount = 30

    def attempt(n: int) -> bool:
        try:
            debit(ledger, f"race:{n}", "u1", amount)
        except InsufficientFunds:
            return False
        return True

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    # Then exactly floor(1000 / 30) succeed and the rest are refused
    assert sum(outcomes) == 1000 // amount
    wallet = ledger.get_wallet("u1")
    assert wallet.available == 1000 - (1000 // amount) * amount >= 0
    report = reconcile()
    assert report.ok, report
    assert report.platform_balances == {"REWARDS_POOL": -1000, "CALL_REVENUE": (1000 // amount) * amount}


def test_fifty_threads_racing_holds_and_debits_keep_available_non_negative(ledger: Ledger) -> None:
    fund(ledger, "u1", 1000)

    def attempt(n: int) -> bool:
        try:
            if n % 2:
                ledger.hold(hold_id=f"h{n}", user_id="u1", amount=40, purpose=EntryType.WITHDRAWAL_HOLD)
            else:
                debit(ledger, f"race:{n}", "u1", 40)
        except InsufficientFunds:
            return False
        return True

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    assert sum(outcomes) == 1000 // 40
    wallet = ledger.get_wallet("u1")
    assert wallet.available == 0 and wallet.balance - wallet.held == 0
    assert reconcile().ok


def test_hold_capture_partly_then_release_the_rest(ledger: Ledger) -> None:
    fund(ledger, "caller", 5000)
    hold = ledger.hold(hold_id="call:c1", user_id="caller", amount=3000, purpose=EntryType.CALL_CHARGE)
    assert ledger.get_wallet("caller").available == 2000
    # An attempt to spend the held coins fails
    with pytest.raises(InsufficientFunds):
        debit(ledger, "other", "caller", 2001)
    ledger.capture(
        hold_id=hold.id,
        user_id="caller",
        entry_id="call:c1:min:1",
        amount=1000,
        entry_type=EntryType.CALL_CHARGE,
        description="minute 1",
        destination=PlatformAccount.CALL_REVENUE,
    )
    with pytest.raises(CaptureExceedsHold):
        ledger.capture(
            hold_id=hold.id,
            user_id="caller",
            entry_id="call:c1:min:2",
            amount=2001,
            entry_type=EntryType.CALL_CHARGE,
            description="minute 2",
            destination=PlatformAccount.CALL_REVENUE,
        )
    released = ledger.release(hold_id=hold.id, user_id="caller")
    assert (released.captured, released.released, released.remaining) == (1000, 2000, 0)
    assert ledger.release(hold_id=hold.id, user_id="caller") == released  # releasing twice changes nothing
    with pytest.raises(HoldClosed):
        ledger.capture(
            hold_id=hold.id,
            user_id="caller",
            entry_id="call:c1:min:3",
            amount=1,
            entry_type=EntryType.CALL_CHARGE,
            description="late",
            destination=PlatformAccount.CALL_REVENUE,
        )
    wallet = ledger.get_wallet("caller")
    assert (wallet.balance, wallet.held, wallet.available) == (4000, 0, 4000)
    assert reconcile().ok


def test_full_capture_closes_the_hold_and_replays_are_no_ops(ledger: Ledger) -> None:
    fund(ledger, "host", 60000)
    ledger.hold(hold_id="wd1", user_id="host", amount=50000, purpose=EntryType.WITHDRAWAL_HOLD)
    assert (
        ledger.hold(hold_id="wd1", user_id="host", amount=50000, purpose=EntryType.WITHDRAWAL_HOLD).amount
        == 50000
    )
    assert ledger.get_wallet("host").held == 50000
    paid = ledger.capture(
        hold_id="wd1",
        user_id="host",
        entry_id="withdrawal:wd1",
        amount=50000,
        entry_type=EntryType.WITHDRAWAL,
        description="paid",
        destination=PlatformAccount.WITHDRAWALS,
    )
    again = ledger.capture(
        hold_id="wd1",
        user_id="host",
        entry_id="withdrawal:wd1",
        amount=50000,
        entry_type=EntryType.WITHDRAWAL,
        description="paid",
        destination=PlatformAccount.WITHDRAWALS,
    )
    assert again == paid
    assert ledger.get_hold("wd1").status == "CLOSED"
    assert ledger.get_wallet("host").balance == 10000
    assert reconcile().ok


def test_history_is_newest_first_and_paginates(ledger: Ledger, clock: Any) -> None:
    fund(ledger, "u1", 100)
    for n in range(5):
        clock.advance(1)
        debit(ledger, f"s{n}", "u1", 1)
    first = ledger.history("u1", 4, None)
    second = ledger.history("u1", 4, first.next_cursor)
    ids = [e.id for e in first.items + second.items]
    assert ids == ["s4", "s3", "s2", "s1", "s0", "seed:u1"]
    assert [e.balance_after for e in first.items] == [95, 96, 97, 98]


def test_a_cursor_for_another_wallet_is_refused(ledger: Ledger) -> None:
    fund(ledger, "a", 10)
    fund(ledger, "b", 10)
    debit(ledger, "a1", "a", 1)
    cursor = ledger.history("a", 1, None).next_cursor
    with pytest.raises(errors.InvalidCursor):
        ledger.history("b", 1, cursor)


def test_reconciliation_reports_a_wallet_edited_behind_the_ledgers_back(ledger: Ledger) -> None:
    fund(ledger, "u1", 500)
    fund(ledger, "u2", 500)
    tampered = WalletItem.get(wallet_key("u1"), "WALLET")
    tampered.update(actions=[WalletItem.balance.add(100), WalletItem.available.add(100)])
    report = reconcile()
    assert not report.ok
    assert [(m.user_id, m.field, m.stored, m.expected) for m in report.mismatches] == [
        ("u1", "balance", 600, 500)
    ]
    assert report.global_sum == 100


# --- opening a wallet with its first credit, in a transaction shared with other stores' writes ------
DAY = 24 * 3600


def open_with_bonus(ledger: Ledger, writes: Transaction, user_id: str, amount: int) -> None:
    ledger.open_wallet_with_credit(
        writes,
        entry_id=f"signup:{user_id}",
        user_id=user_id,
        amount=amount,
        entry_type=EntryType.SIGNUP_BONUS,
        description="Welcome bonus",
    )


def credit_bonus(ledger: Ledger, user_id: str, amount: int) -> Entry:
    return ledger.credit(
        entry_id=f"signup:{user_id}",
        user_id=user_id,
        amount=amount,
        entry_type=EntryType.SIGNUP_BONUS,
        description="Welcome bonus",
    )


def test_a_wallet_opened_with_its_credit_is_what_opening_then_crediting_leaves(
    ledger: Ledger, clock: Any
) -> None:
    # Given one wallet opened then credited, and one opened with the same credit in one transaction
    ledger.open_wallet("u1")
    credit_bonus(ledger, "u1", 5000)
    writes = Transaction()
    open_with_bonus(ledger, writes, "u2", 5000)
    assert writes.commit() == frozenset()

    # Then both hold the same figures and the same entry
    assert replace(ledger.get_wallet("u2"), user_id="u1") == ledger.get_wallet("u1")
    first, second = ledger.history("u1", 10, None).items, ledger.history("u2", 10, None).items
    assert [(e.type, e.amount, e.balance_after, e.platform_account) for e in second] == [
        (e.type, e.amount, e.balance_after, e.platform_account) for e in first
    ]
    # And the entry is the ledger's own: crediting it again is a replay, another payload a mismatch
    replayed = credit_bonus(ledger, "u2", 5000)
    assert replayed == second[0] and ledger.get_wallet("u2").balance == 5000
    with pytest.raises(IdempotencyMismatch):
        credit(ledger, "signup:u2", "u2", 5000)
    # And the wallet moves on from there, reconciling exactly
    debit(ledger, "call:c1:min:1", "u2", 1200)
    assert ledger.get_wallet("u2").balance == 3800
    clock.advance(DAY)
    report = reconcile()
    assert report.ok and report.platform_balances == {"REWARDS_POOL": -10_000, "CALL_REVENUE": 1200}


def test_opening_a_wallet_with_its_credit_again_writes_nothing(ledger: Ledger, clock: Any) -> None:
    # Given a wallet opened with its credit
    writes = Transaction()
    open_with_bonus(ledger, writes, "u1", 5000)
    assert writes.commit() == frozenset()

    # When the same opening is committed again
    again = Transaction()
    open_with_bonus(ledger, again, "u1", 5000)

    # Then its conditions fail and nothing moved, the platform's side included
    assert again.commit() != frozenset()
    assert ledger.get_wallet("u1").balance == 5000
    assert [entry.id for entry in ledger.history("u1", 10, None).items] == ["signup:u1"]
    clock.advance(DAY)  # platform counters are compared once their day has closed
    report = reconcile()
    assert report.ok and report.platform_balances == {"REWARDS_POOL": -5000}


def test_a_wallet_opens_with_its_credit_only_if_the_whole_transaction_commits(
    ledger: Ledger, clock: Any
) -> None:
    # Given an opening composed with another store's write whose condition fails
    writes = Transaction()
    open_with_bonus(ledger, writes, "u1", 5000)
    writes.check(WalletItem, wallet_key("nobody"), "WALLET", WalletItem.pk.exists())

    # When it is committed
    assert writes.commit() != frozenset()

    # Then no wallet, no entry and no platform movement exist
    with pytest.raises(WalletNotFound):
        ledger.get_wallet("u1")
    clock.advance(DAY)
    report = reconcile()
    assert report.ok and report.entries_checked == 0 and report.platform_balances == {}


@pytest.mark.parametrize("amount", [0, -5])
def test_a_wallet_cannot_open_with_a_credit_that_is_not_positive(ledger: Ledger, amount: int) -> None:
    with pytest.raises(InvalidAmount):
        open_with_bonus(ledger, Transaction(), "u1", amount)
