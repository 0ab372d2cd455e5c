"""Ledger failures where DynamoDB and the network produce them, on the botocore client the ledger talks
through: a transaction cancelled with given reasons, and a transaction that fails before it is sent or
loses its answer after it committed (a dropped connection, a Lambda timing out)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders

from twtc_core.ledger.store import WalletItem

_hook_ids = count()


@contextmanager
def transactions_cancelled(reasons: Sequence[str], times: int) -> Iterator[list[int]]:
    """The next `times` TransactWriteItems calls are cancelled with these reason codes (one per
    transaction item, "None" for an item that was fine); yields the list of calls seen (its length
    is how many were made)."""
    events = WalletItem._get_connection().connection.client.meta.events
    hook_id = f"cancel-{next(_hook_ids)}"
    calls: list[int] = []

    def cancel(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        calls.append(len(calls))
        if len(calls) > times:
            return None
        parsed = {
            "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled (injected)."},
            "CancellationReasons": [{"Code": code, "Message": "injected"} for code in reasons],
        }
        return AWSResponse("https://dynamodb.invalid", 400, HTTPHeaders(), None), parsed

    event_name = "before-call.dynamodb.TransactWriteItems"
    events.register(event_name, cancel, unique_id=hook_id)  # type: ignore[arg-type]
    try:
        yield calls
    finally:
        events.unregister(event_name, unique_id=hook_id)


class LostConnection(Exception):
    """The caller never learned whether its transaction happened."""


@dataclass
class InjectedFailures:
    failed_before_send: int = 0
    lost_after_commit: int = 0


@contextmanager
def transactions_fail_randomly(rate: float, seed: int) -> Iterator[InjectedFailures]:
    """A share `rate` of TransactWriteItems calls fail, half before they are sent, half after they
    committed (the answer is lost); seeded, so a failing sequence replays identically."""
    events = WalletItem._get_connection().connection.client.meta.events
    hook_id = f"flaky-{next(_hook_ids)}"
    chance = random.Random(seed)
    injected = InjectedFailures()
    doomed: list[bool] = []

    def before(**_: Any) -> None:
        if chance.random() >= rate:
            return
        if chance.random() < 0.5:
            injected.failed_before_send += 1
            raise LostConnection("failed before sending (injected)")
        doomed.append(True)

    def after(**_: Any) -> None:
        if doomed:
            doomed.clear()
            injected.lost_after_commit += 1
            raise LostConnection("answer lost after commit (injected)")

    events.register("before-call.dynamodb.TransactWriteItems", before, unique_id=f"{hook_id}-before")
    events.register("after-call.dynamodb.TransactWriteItems", after, unique_id=f"{hook_id}-after")
    try:
        yield injected
    finally:
        events.unregister("before-call.dynamodb.TransactWriteItems", unique_id=f"{hook_id}-before")
        events.unregister("after-call.dynamodb.TransactWriteItems", unique_id=f"{hook_id}-after")
