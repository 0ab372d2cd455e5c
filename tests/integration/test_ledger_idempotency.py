"""A replayed id returns its first result only when the payload is the same; a reused id with another
payload is refused (409 idempotency_mismatch). And a cancelled transaction is read for what happened."""

from __future__ import annotations

from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest

from tests.support.ledger import capture, credit, debit
from tests.support.ledger_faults import transactions_cancelled
from twtc_core import api
from twtc_core.ledger import EntryType, IdempotencyMismatch, Ledger, WalletNotFound
from twtc_core.ledger import service as ledger_service
from twtc_core.ledger.reconcile import reconcile
from twtc_core.ledger.service import LedgerThrottled
from twtc_core.ledger.store import WalletItem, WriteRejected, wallet_key
from twtc_core.observability import metrics


@pytest.fixture
def ledger(aws: dict[str, str]) -> Ledger:
    ledger = Ledger()
    for user_id in ("alice", "bob"):
        ledger.open_wallet(user_id)
        ledger.credit(
            entry_id=f"seed:{user_id}",
            user_id=user_id,
            amount=10_000,
            entry_type=EntryType.SIGNUP_BONUS,
            description="seed",
        )
    return ledger


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The ledger's pauses between attempts, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(ledger_service, "pause", recorded.append)
    return recorded


@pytest.fixture
def counted_metrics() -> Iterator[dict[str, Any]]:
    metrics.clear_metrics()
    yield metrics.metric_set
    metrics.clear_metrics()


def balances(ledger: Ledger) -> dict[str, tuple[int, int]]:
    return {user: (w.balance, w.held) for user in ("alice", "bob") for w in [ledger.get_wallet(user)]}


def test_a_credit_id_reused_for_another_user_and_amount_is_refused_and_credits_nothing(
    ledger: Ledger, counted_metrics: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    # Given "x" credited Alice 100
    first = credit(ledger, "x", "alice", 100)
    # When "x" is sent again for Bob and 999
    with pytest.raises(IdempotencyMismatch) as refused:
        credit(ledger, "x", "bob", 999)
    # Then it is a 409 idempotency_mismatch, logged as an error and counted; Bob got nothing
    assert api.status_for(refused.value) == HTTPStatus.CONFLICT
    assert refused.value.code == "idempotency_mismatch"
    assert refused.value.details == {"kind": "entry", "id": "x"}
    assert counted_metrics["IdempotencyMismatches"]["Value"] == [1.0]
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "idempotency key reused with a different payload"
    ]
    assert balances(ledger) == {"alice": (10_100, 0), "bob": (10_000, 0)}
    # And the same payload again is still the first result
    assert credit(ledger, "x", "alice", 100) == first
    assert reconcile().ok


@pytest.mark.parametrize(("user_id", "amount"), [("alice", 301), ("bob", 300)])
def test_a_debit_id_reused_with_another_payload_is_refused(ledger: Ledger, user_id: str, amount: int) -> None:
    debit(ledger, "d", "alice", 300)
    with pytest.raises(IdempotencyMismatch):
        debit(ledger, "d", user_id, amount)
    assert balances(ledger) == {"alice": (9_700, 0), "bob": (10_000, 0)}


def test_a_debit_id_reused_as_a_credit_is_refused(ledger: Ledger) -> None:
    debit(ledger, "d", "alice", 300)
    with pytest.raises(IdempotencyMismatch):
        credit(ledger, "d", "alice", 300)


def test_a_replay_refused_for_funds_is_still_checked_against_its_payload(ledger: Ledger) -> None:
    # Given Alice spent everything under "all"
    debit(ledger, "all", "alice", 10_000)
    # When "all" comes again for a different amount (which would be refused for funds anyway)
    with pytest.raises(IdempotencyMismatch):
        debit(ledger, "all", "alice", 20_000)
    assert debit(ledger, "all", "alice", 10_000).amount == -10_000


@pytest.mark.parametrize("amount", [3_000, 8_000, 20_000])  # Bob can afford 3000 and 8000, not 20000
def test_a_hold_id_reused_for_another_user_is_refused_and_a_capture_cannot_reach_the_first_wallet(
    ledger: Ledger, amount: int
) -> None:
    # Given hold "h" reserved 3000 of Alice's coins
    ledger.hold(hold_id="h", user_id="alice", amount=3_000, purpose=EntryType.CALL_CHARGE)
    # When "h" is placed again for Bob
    with pytest.raises(IdempotencyMismatch):
        ledger.hold(hold_id="h", user_id="bob", amount=amount, purpose=EntryType.CALL_CHARGE)
    # Then Bob holds nothing, and a capture or release of "h" for Bob is refused too
    with pytest.raises(IdempotencyMismatch):
        capture(ledger, "h", "bob", "h:min:1", 1_000)
    with pytest.raises(IdempotencyMismatch):
        ledger.release(hold_id="h", user_id="bob")
    assert balances(ledger) == {"alice": (10_000, 3_000), "bob": (10_000, 0)}
    assert reconcile().ok


@pytest.mark.parametrize(
    "changed", [{"amount": 2_000}, {"purpose": EntryType.WITHDRAWAL_HOLD}], ids=["amount", "purpose"]
)
def test_a_hold_id_reused_with_another_amount_or_purpose_is_refused(
    ledger: Ledger, changed: dict[str, Any]
) -> None:
    placed: dict[str, Any] = {
        "hold_id": "h",
        "user_id": "alice",
        "amount": 3_000,
        "purpose": EntryType.CALL_CHARGE,
    }
    first = ledger.hold(**placed)
    with pytest.raises(IdempotencyMismatch):
        ledger.hold(**{**placed, **changed})
    assert ledger.hold(**placed) == first


def test_a_capture_id_reused_with_another_amount_or_hold_is_refused(ledger: Ledger) -> None:
    ledger.hold(hold_id="h1", user_id="alice", amount=3_000, purpose=EntryType.CALL_CHARGE)
    ledger.hold(hold_id="h2", user_id="alice", amount=3_000, purpose=EntryType.CALL_CHARGE)
    first = capture(ledger, "h1", "alice", "c", 1_000)
    with pytest.raises(IdempotencyMismatch):
        capture(ledger, "h1", "alice", "c", 2_000)
    with pytest.raises(IdempotencyMismatch):
        capture(ledger, "h2", "alice", "c", 1_000)
    assert capture(ledger, "h1", "alice", "c", 1_000) == first
    assert balances(ledger) == {"alice": (9_000, 5_000), "bob": (10_000, 0)}
    # And once the hold is closed, a replay with another amount is refused rather than answered
    ledger.release(hold_id="h1", user_id="alice")
    with pytest.raises(IdempotencyMismatch):
        capture(ledger, "h1", "alice", "c", 1_500)
    assert reconcile().ok


def test_a_release_for_another_user_is_refused_even_after_the_hold_closed(ledger: Ledger) -> None:
    ledger.hold(hold_id="h", user_id="alice", amount=3_000, purpose=EntryType.CALL_CHARGE)
    released = ledger.release(hold_id="h", user_id="alice")
    with pytest.raises(IdempotencyMismatch):
        ledger.release(hold_id="h", user_id="bob")
    assert ledger.release(hold_id="h", user_id="alice") == released


def test_a_validation_error_is_raised_at_once_not_retried_as_busy(
    ledger: Ledger, pauses: list[float]
) -> None:
    with (
        transactions_cancelled(["None", "ValidationError", "None"], times=1) as calls,
        pytest.raises(WriteRejected) as rejected,
    ):
        credit(ledger, "v", "alice", 100)
    assert rejected.value.codes == ["ValidationError"]
    assert len(calls) == 1 and pauses == []


def test_throttling_backs_off_a_bounded_number_of_times_then_says_so(
    ledger: Ledger, pauses: list[float]
) -> None:
    with (
        transactions_cancelled(["ThrottlingError", "None", "None"], times=100) as calls,
        pytest.raises(LedgerThrottled) as throttled,
    ):
        credit(ledger, "t", "alice", 100)
    assert len(calls) == ledger_service.MAX_THROTTLED_ATTEMPTS
    assert pauses == [0.1, 0.2, 0.4, 0.8]
    assert throttled.value.code == "ledger_throttled"
    assert api.status_for(throttled.value) == HTTPStatus.TOO_MANY_REQUESTS
    assert balances(ledger)["alice"] == (10_000, 0)


def test_throttling_that_clears_lets_the_movement_through_once(ledger: Ledger, pauses: list[float]) -> None:
    with transactions_cancelled(["None", "ThrottlingError", "None"], times=2) as calls:
        credit(ledger, "t", "alice", 100)
    assert len(calls) == 3 and len(pauses) == 2
    assert balances(ledger)["alice"] == (10_100, 0)


def test_a_transaction_conflict_is_a_race_and_is_retried(ledger: Ledger, pauses: list[float]) -> None:
    with transactions_cancelled(["None", "TransactionConflict", "None"], times=3) as calls:
        debit(ledger, "r", "alice", 100)
    assert len(calls) == 4 and len(pauses) == 3
    assert balances(ledger)["alice"] == (9_900, 0)


def test_a_wallet_gone_between_read_and_write_is_not_found_after_one_retry(
    ledger: Ledger, pauses: list[float]
) -> None:
    # Given the wallet is deleted right before the movement's transaction goes out
    events = WalletItem._get_connection().connection.client.meta.events

    def delete_wallet(**_: Any) -> None:
        WalletItem.get(wallet_key("alice"), "WALLET").delete()

    events.register_first("before-call.dynamodb.TransactWriteItems", delete_wallet, unique_id="delete-wallet")
    try:
        with pytest.raises(WalletNotFound):
            credit(ledger, "gone", "alice", 100)
    finally:
        events.unregister("before-call.dynamodb.TransactWriteItems", unique_id="delete-wallet")
    assert len(pauses) == 1
