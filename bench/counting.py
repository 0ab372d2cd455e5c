"""Count AWS API calls through botocore's own event hooks.

Registered in botocore's built-in handler list before any session exists, so it sees the calls of every
client — boto3's and PynamoDB's alike — exactly as it would in Lambda.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore import handlers

_lock = threading.Lock()
_calls: Counter[str] = Counter()


def _count(model: Any, **_: Any) -> None:
    with _lock:
        _calls[f"{model.service_model.service_name}.{model.name}"] += 1


handlers.BUILTIN_HANDLERS.append(("before-call", _count))


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Yields a Counter that holds, when the block ends, the calls made inside it."""
    with _lock:
        before = Counter(_calls)
    seen: Counter[str] = Counter()
    try:
        yield seen
    finally:
        with _lock:
            seen.update(_calls - before)
