"""Conditional writes whose failed condition is an answer, not an error (PynamoDB), and the helpers
stores compose multi-item work with: `Transaction` (writes, all or none) and `Reads` (items of several
stores read in one call)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Generic, TypeVar

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactGetError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model, _ModelFuture
from pynamodb.transactions import TransactGet, TransactWrite

from twtc_core.settings import TABLES

CONDITION_FAILED = "ConditionalCheckFailedException"
CANCELLED = "TransactionCanceledException"
TRANSACTION_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 0.02
# Cancellation reasons worth another attempt after a pause: a concurrent writer, or capacity.
CONFLICT_REASON = "TransactionConflict"
CAPACITY_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})
RETRYABLE_REASONS = CAPACITY_REASONS | {CONFLICT_REASON}
# The pause between attempts; a test may replace it to run without waiting.
pause: Callable[[float], None] = time.sleep
# PynamoDB sends a transaction's writes grouped by kind, in this order; cancellation reasons follow it.
_KIND_ORDER = ("check", "delete", "put", "update")


def put_if(item: Model, condition: Condition) -> bool:
    """Put the item if `condition` holds; False when it did not (nothing was written)."""
    try:
        item.save(condition=condition)
    except PutError as error:
        if error.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def update_if(item: Model, actions: list[Action], condition: Condition | None) -> bool:
    """Apply `actions` if `condition` holds; False when it did not (nothing was written)."""
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if error.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


class TransactionContended(Exception):
    """Concurrent transactions kept cancelling ours; the caller (or the queue) tries again later."""


class Check:
    """Names one condition of a transaction, so that its caller can tell whether that one failed."""


@dataclass
class Transaction:
    """Writes, possibly of several stores and tables, that happen together or not at all.

    Stores add their writes (each store knows its own items); whoever composed them calls `commit`.
    """

    _writes: list[tuple[str, Check | None, Callable[[TransactWrite], None]]] = field(default_factory=list)

    def put(self, item: Model, condition: Condition | None = None) -> Check | None:
        return self._add("put", condition, lambda write: write.save(item, condition=condition))

    def update(self, item: Model, actions: list[Action], condition: Condition | None = None) -> Check | None:
        return self._add(
            # A copy per attempt: PynamoDB appends a versioned item's version increment to the list it gets.
            "update",
            condition,
            lambda write: write.update(item, actions=list(actions), condition=condition),
        )

    def delete(self, item: Model, condition: Condition | None = None) -> Check | None:
        return self._add("delete", condition, lambda write: write.delete(item, condition=condition))

    def check(self, model: type[Model], hash_key: str, range_key: str, condition: Condition) -> Check | None:
        """Write nothing to the item, but commit only if `condition` holds for it."""
        return self._add(
            "check", condition, lambda write: write.condition_check(model, hash_key, range_key, condition)
        )

    def commit(self) -> frozenset[Check]:
        """Run the writes as one transaction: the checks whose condition failed (then nothing was
        written), empty when it committed. A cancellation by concurrent writers or for capacity alone
        is retried after a jittered, growing pause; any other cancellation (a defect) is raised."""
        ordered = sorted(self._writes, key=lambda write: _KIND_ORDER.index(write[0]))
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                with TransactWrite(connection=_connection()) as transaction:
                    for _kind, _check, add in ordered:
                        add(transaction)
            except TransactWriteError as error:
                if error.cause_response_code != CANCELLED:
                    raise
                reasons = [
                    reason.code if reason is not None else "None" for reason in error.cancellation_reasons
                ]
                failed = frozenset(
                    check
                    for (_kind, check, _add), code in zip(ordered, reasons, strict=True)
                    if check is not None and code == "ConditionalCheckFailed"
                )
                if failed:
                    return failed
                if not {code for code in reasons if code != "None"} <= RETRYABLE_REASONS:
                    raise
                # Nothing was written and the answer is unknown: try again once the others are done.
                pause(random.uniform(0, BACKOFF_BASE_SECONDS * 2**attempt))
                continue
            return frozenset()
        raise TransactionContended("The transaction kept conflicting with concurrent writers.")

    def _add(
        self, kind: str, condition: Condition | None, add: Callable[[TransactWrite], None]
    ) -> Check | None:
        check = Check() if condition is not None else None
        self._writes.append((kind, check, add))
        return check


M = TypeVar("M", bound=Model)


class Read(Generic[M]):
    """One item of a `Reads`: `item()` once the reads have run (None when it does not exist)."""

    def __init__(self, model: type[M], hash_key: str, range_key: str) -> None:
        self.model, self.hash_key, self.range_key = model, hash_key, range_key
        self._future: _ModelFuture[M] | None = None

    def item(self) -> M | None:
        if self._future is None:
            raise RuntimeError("The reads have not run yet.")
        try:
            return self._future.get()
        except self.model.DoesNotExist:
            return None


@dataclass
class Reads:
    """Items, possibly of several stores and tables, read together in one call (TransactGetItems):
    stores add what they need, whoever composed them calls `run`, then each store reads its answers."""

    _reads: list[Read[Model]] = field(default_factory=list)

    def get(self, model: type[M], hash_key: str, range_key: str) -> Read[M]:
        read = Read(model, hash_key, range_key)
        self._reads.append(read)  # type: ignore[arg-type]
        return read

    def run(self) -> None:
        for _ in range(TRANSACTION_ATTEMPTS):
            try:
                with TransactGet(connection=_connection()) as transaction:
                    for read in self._reads:
                        read._future = transaction.get(read.model, read.hash_key, read.range_key)
            except TransactGetError as error:
                if error.cause_response_code != CANCELLED:
                    raise
                continue  # a concurrent transaction was writing one of the items: read again
            return
        raise TransactionContended("The reads kept conflicting with concurrent writers.")


@cache
def _connection() -> Connection:
    return Connection(region=TABLES.aws_region)
