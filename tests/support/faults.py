"""Failures injected where AWS would produce them: on the botocore client a PynamoDB model talks
through, before the call goes out, so the code under test sees a genuine service error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.client import BaseClient
from pynamodb.models import Model

from twtc_core import dynamo

_hook_ids = count()


@contextmanager
def dynamodb_fails_once(model: type[Model], operation: str) -> Iterator[None]:
    """The next `operation` (e.g. `BatchWriteItem`) on `model`'s table connection answers HTTP 500;
    the calls after it go through."""
    with _fails_once(model._get_connection().connection.client, operation, model.__name__):
        yield


@contextmanager
def transaction_fails_once() -> Iterator[None]:
    """The next transaction composed of several stores' writes (`twtc_core.dynamo.Transaction`, which
    has a connection of its own) answers HTTP 500; the calls after it go through."""
    with _fails_once(dynamo._connection().client, "TransactWriteItems", "Transaction"):
        yield


@contextmanager
def _fails_once(client: BaseClient, operation: str, talker: str) -> Iterator[None]:
    events = client.meta.events
    event_name = f"before-call.dynamodb.{operation}"
    hook_id = f"fail-once-{next(_hook_ids)}"
    failed: list[bool] = []

    def fail_first_call(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if failed:
            return None
        failed.append(True)
        error = {"Code": "InternalServerError", "Message": f"{operation} failed (injected)."}
        return AWSResponse("https://dynamodb.invalid", 500, HTTPHeaders(), None), {"Error": error}

    # A before-call handler that returns (response, parsed) replaces the call; the stubs type handlers
    # as returning None.
    events.register(event_name, fail_first_call, unique_id=hook_id)  # type: ignore[arg-type]
    try:
        yield
    finally:
        events.unregister(event_name, unique_id=hook_id)
    assert failed, f"{operation} on {talker} was never called"


@contextmanager
def transactions_cancelled(*reason_lists: list[str]) -> Iterator[list[list[str]]]:
    """The next transactions of `twtc_core.dynamo.Transaction` are cancelled, one per list, each with
    those cancellation reasons (one code per item, `None` for an item that was fine); the calls after
    them go through. Yields the reasons not yet used."""
    events = dynamo._connection().client.meta.events
    event_name = "before-call.dynamodb.TransactWriteItems"
    hook_id = f"cancel-{next(_hook_ids)}"
    left = [list(reasons) for reasons in reason_lists]

    def cancel(**_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not left:
            return None
        reasons = left.pop(0)
        parsed = {
            "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled (injected)."},
            "CancellationReasons": [{"Code": code} for code in reasons],
        }
        return AWSResponse("https://dynamodb.invalid", 400, HTTPHeaders(), None), parsed

    events.register(event_name, cancel, unique_id=hook_id)  # type: ignore[arg-type]
    try:
        yield left
    finally:
        events.unregister(event_name, unique_id=hook_id)
