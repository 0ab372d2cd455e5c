"""Make moto's DynamoDB as atomic as DynamoDB, and its transactions as cheap as DynamoDB's.

DynamoDB applies each write and each transaction atomically. moto runs them as plain Python: two
threads can both pass a condition before either writes, and a failed transaction restores a copy of
the whole table, wiping a concurrent writer's item. Concurrency tests and the threaded local runtime
need the real guarantee, so every DynamoDB request in moto is serialized behind one lock: the backend's
operations and the response built from their result (reads too: moto answers with the stored item itself,
which a concurrent update would change while it is being serialized).

moto also deep-copies every table a transaction touches before it starts, to restore it if the
transaction fails: each money movement costs time in proportion to the whole ledger, so a long-running
local runtime (and every test that builds a history) slows down as data accumulates. Under the lock
nothing else writes while a transaction runs, so saving the items it names, and the length of each
table's stream, restores exactly the same state.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import moto.dynamodb.models as moto_dynamodb
import moto.dynamodb.responses as moto_dynamodb_responses
from moto import mock_aws
from moto.core.config import DefaultConfig
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

from local_runtime.resources import create_resources

_lock = threading.RLock()
DYNAMODB_TRANSACTION_MAX_ITEMS = 100
# How the tests and `make bench` start moto. One boto3 session for the process (moto would replace it on each
# start: a new session parses botocore's service data again, about a second each time; moto's hooks are in
# botocore's built-in handlers, so the kept session is mocked all the same), signing with the environment's
# credentials throughout (moto would swap in its own while mocking, so a client created under one mock would
# sign unlike one created under another).
MOTO_CONFIG: DefaultConfig = {"core": {"reset_boto3_session": False, "mock_credentials": False}}


@contextmanager
def fresh_aws() -> Iterator[dict[str, str]]:
    """A fresh in-memory AWS holding every declared resource; yields the variables that name them."""
    with mock_aws(config=MOTO_CONFIG):
        yield create_resources()


def _serialized(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(*args, **kwargs)

    wrapper.__twtc_serialized__ = True  # type: ignore[attr-defined]
    return wrapper


def make_dynamodb_atomic() -> None:
    if not getattr(DynamoDBBackend.transact_write_items, "__twtc_item_rollback__", False):
        DynamoDBBackend.transact_write_items = _rolled_back_item_by_item(  # type: ignore[method-assign]
            DynamoDBBackend.transact_write_items
        )
        moto_dynamodb.copy = _TablesKeptInPlace  # type: ignore[assignment]
    # DynamoDB reads up to 100 items in one TransactGetItems since 2022; moto still refuses more than 25 (a
    # reconciliation snapshot of a busy wallet reads it with up to 99 open holds).
    moto_dynamodb_responses.TRANSACTION_MAX_ITEMS = DYNAMODB_TRANSACTION_MAX_ITEMS
    if not getattr(DynamoHandler.call_action, "__twtc_serialized__", False):
        DynamoHandler.call_action = _serialized(DynamoHandler.call_action)  # type: ignore[method-assign]


class _TablesKeptInPlace:
    """Stands in for the `copy` module inside moto's DynamoDB backend: its transaction "backup" of a table
    is the table itself (restoring it changes nothing); `_rolled_back_item_by_item` does the restoring."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


@dataclass(frozen=True)
class _SavedItem:
    table: Table
    hash_key: DynamoType
    range_key: DynamoType | None
    item: Item | None  # a copy of the item before the transaction; None: it did not exist

    def restore(self) -> None:
        stored: Any = self.table.items[self.hash_key] if self.range_key is not None else self.table.items
        key = self.range_key if self.range_key is not None else self.hash_key
        if self.item is None:
            stored.pop(key, None)
        else:
            stored[key] = self.item


def _rolled_back_item_by_item(transact: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(transact)
    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        saved = list(_items_named(self, transact_items))
        stream_lengths = {
            table: len(table.stream_shard.items)
            for table in {saved_item.table for saved_item in saved}
            if table.stream_shard is not None
        }
        try:
            transact(self, transact_items)
        except Exception:
            for saved_item in reversed(saved):
                saved_item.restore()
            for table, length in stream_lengths.items():
                del table.stream_shard.items[length:]  # type: ignore[union-attr]
            raise

    transact_write_items.__twtc_item_rollback__ = True  # type: ignore[attr-defined]
    return transact_write_items


def _items_named(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> Iterator[_SavedItem]:
    """The items a transaction names, as they are now (what moto would refuse, it refuses before writing)."""
    for request in transact_items:
        for operation, parameters in request.items():
            table = backend.tables.get(parameters.get("TableName"))
            key = parameters.get("Item" if operation == "Put" else "Key") or {}
            if table is None or table.hash_key_attr not in key:
                continue
            hash_key = DynamoType(key[table.hash_key_attr])
            range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            if table.has_range_key and range_key is None:
                continue
            current = table.get_item(hash_key, range_key)
            yield _SavedItem(table, hash_key, range_key, copy.deepcopy(current) if current else None)
