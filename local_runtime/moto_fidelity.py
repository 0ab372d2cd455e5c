"""Make moto's DynamoDB as atomic as DynamoDB.

DynamoDB applies each write and each transaction atomically. moto runs them as plain Python: two
threads can both pass a condition before either writes, and a failed transaction restores a copy of
the whole table, wiping a concurrent writer's item. Concurrency tests and the threaded local runtime
need the real guarantee, so every DynamoDB operation in moto is serialized behind one lock (reads too:
moto's rollback deep-copies tables, which must not race a reader).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

_lock = threading.RLock()


def _serialized(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return method(*args, **kwargs)

    wrapper.__twtc_serialized__ = True  # type: ignore[attr-defined]
    return wrapper


def make_dynamodb_atomic() -> None:
    for name, method in list(vars(DynamoDBBackend).items()):
        if (
            callable(method)
            and not name.startswith("_")
            and not getattr(method, "__twtc_serialized__", False)
        ):
            setattr(DynamoDBBackend, name, _serialized(method))
