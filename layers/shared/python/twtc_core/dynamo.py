"""Conditional writes whose failed condition is an answer, not an error (PynamoDB), and the one
transaction helper every store composes its multi-item writes with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from twtc_core.settings import TABLES

CONDITION_FAILED = "ConditionalCheckFailedException"
TRANSACTION_ATTEMPTS = 5
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
            "update", condition, lambda write: write.update(item, actions=actions, condition=condition)
        )

    def commit(self) -> frozenset[Check]:
        """Run the writes as one transaction: the checks whose condition failed (then nothing was
        written), empty when it committed. A cancellation by concurrent writers alone is retried."""
        ordered = sorted(self._writes, key=lambda write: _KIND_ORDER.index(write[0]))
        for _ in range(TRANSACTION_ATTEMPTS):
            try:
                with TransactWrite(connection=_connection()) as transaction:
                    for _kind, _check, add in ordered:
                        add(transaction)
            except TransactWriteError as error:
                if error.cause_response_code != "TransactionCanceledException":
                    raise
                failed = frozenset(
                    check
                    for (_kind, check, _add), reason in zip(ordered, error.cancellation_reasons, strict=True)
                    if check is not None and reason is not None and reason.code == "ConditionalCheckFailed"
                )
                if failed:
                    return failed
                # Cancelled only by a concurrent transaction on the same items: the answer is unknown.
                continue
            return frozenset()
        raise TransactionContended("The transaction kept conflicting with concurrent writers.")

    def _add(
        self, kind: str, condition: Condition | None, add: Callable[[TransactWrite], None]
    ) -> Check | None:
        check = Check() if condition is not None else None
        self._writes.append((kind, check, add))
        return check


@cache
def _connection() -> Connection:
    return Connection(region=TABLES.aws_region)
