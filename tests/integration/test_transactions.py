"""The shared transaction helper (twtc_core.dynamo.Transaction) against moto: what a cancellation means
decides whether it is an answer, another attempt after a pause, or an error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pynamodb.exceptions import TransactWriteError

from tests.support.faults import transactions_cancelled
from twtc_core import dynamo
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.dynamo import Transaction, TransactionContended
from twtc_core.ledger import EntryType, Ledger


@pytest.fixture
def pauses(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The pauses the helper takes, recorded instead of slept."""
    taken: list[float] = []
    monkeypatch.setattr(dynamo, "pause", taken.append)
    yield taken


def claim(code: str) -> frozenset[object]:
    writes = Transaction()
    CodeStore().claim_with(writes, "user-1", code)
    return writes.commit()


def test_a_conflict_with_concurrent_writers_is_tried_again_after_a_growing_pause(pauses: list[float]) -> None:
    # Given two cancellations by concurrent transactions, then a clear run
    with transactions_cancelled(["TransactionConflict"], ["TransactionConflict"]) as left:
        # When the transaction commits
        assert claim("ABCD2345") == frozenset()
    # Then it was written on the third attempt, after two short pauses
    assert left == []
    assert len(pauses) == 2 and all(0 <= pause <= dynamo.BACKOFF_BASE_SECONDS * 2 for pause in pauses)
    assert CodeStore().get("ABCD2345") is not None


def test_throttling_is_tried_again_too(pauses: list[float]) -> None:
    with transactions_cancelled(["ThrottlingError"]):
        assert claim("ABCD2346") == frozenset()
    assert len(pauses) == 1


def test_a_cancellation_that_is_a_defect_is_raised_at_once(pauses: list[float]) -> None:
    # Given a cancellation no retry can fix (the request itself is invalid)
    with transactions_cancelled(["ValidationError"]), pytest.raises(TransactWriteError):
        claim("ABCD2347")
    # Then it was neither retried nor written
    assert pauses == []
    assert CodeStore().get("ABCD2347") is None


def test_endless_contention_ends_in_transaction_contended(pauses: list[float]) -> None:
    with (
        transactions_cancelled(*[["TransactionConflict"]] * dynamo.TRANSACTION_ATTEMPTS),
        pytest.raises(TransactionContended),
    ):
        claim("ABCD2348")
    assert len(pauses) == dynamo.TRANSACTION_ATTEMPTS
    assert CodeStore().get("ABCD2348") is None


def test_a_versioned_items_update_tried_again_bumps_its_version_once(pauses: list[float]) -> None:
    # Given a credit composed on a wallet (a versioned item: PynamoDB adds its version's increment)
    ledger = Ledger()
    ledger.open_wallet("user-1")
    writes = Transaction()
    ledger.credit_with(
        writes, entry_id="task:1", user_id="user-1", amount=5, entry_type=EntryType.TASK, description="task"
    )
    # When its first attempt is cancelled by a concurrent writer of the wallet (entry, shard, wallet)
    with transactions_cancelled(["None", "None", "TransactionConflict"]):
        assert writes.commit() == frozenset()
    # Then the second attempt sends the same update, and the wallet moved once
    assert len(pauses) == 1
    assert ledger.get_wallet("user-1").balance == 5
