"""Make moto's DynamoDB as atomic as DynamoDB.

DynamoDB applies each write and each transaction atomically. moto runs them as plain Python: two
threads can both pass a condition before either writes, and a failed transaction restores a copy of
the whole table, wiping a concurrent writer's item. Concurrency tests and the threaded local runtime
need the real guarantee, so every DynamoDB operation in moto is serialized behind one lock (reads too:
moto's rollback deep-copies tables, which must not race a reader).

That rollback also replaces the tables' streams with the copies' streams: a reader holding a shard
iterator (the local runtime's stream pollers) would never see another record, so a failed transaction
keeps each table's stream, without the records of the writes it rolled back.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import StreamShard

_lock = threading.RLock()


def _serialized(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(*args, **kwargs)

    wrapper.__twtc_serialized__ = True  # type: ignore[attr-defined]
    return wrapper


def _streams_kept(transact_write_items: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(transact_write_items)
    def wrapper(backend: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
        shards = {name: table.stream_shard for name, table in backend.tables.items()}
        try:
            return transact_write_items(backend, *args, **kwargs)
        finally:
            for name, shard in shards.items():
                restored = backend.tables.get(name)
                if shard is not None and restored is not None and restored.stream_shard is not shard:
                    _keep_stream(shard, restored)

    return wrapper


def _keep_stream(shard: StreamShard, restored: Any) -> None:
    """Give the rolled-back table its own stream again, as it was before the transaction."""
    kept = len(restored.stream_shard.items) if restored.stream_shard is not None else 0
    del shard.items[kept:]
    shard.table = restored
    restored.stream_shard = shard


def make_dynamodb_atomic() -> None:
    if not getattr(DynamoDBBackend.transact_write_items, "__twtc_serialized__", False):
        DynamoDBBackend.transact_write_items = _streams_kept(DynamoDBBackend.transact_write_items)  # type: ignore[method-assign]
    for name, method in list(vars(DynamoDBBackend).items()):
        if (
            callable(method)
            and not name.startswith("_")
            and not getattr(method, "__twtc_serialized__", False)
        ):
            setattr(DynamoDBBackend, name, _serialized(method))
