"""A wallet that moves between a request's read of it and its transaction: another credit of it commits
just before the request's next composed transaction (`twtc_core.dynamo.Transaction`) goes out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

from tests.support.ledger import credit
from twtc_core import dynamo
from twtc_core.ledger import Ledger

_hook_ids = count()


@contextmanager
def wallet_moves_before_next_transaction(user_id: str, amount: int) -> Iterator[None]:
    """Credits `amount` to the user's wallet (through the ledger's own connection) once, as the next
    composed transaction is about to be sent."""
    events = dynamo._connection().client.meta.events
    event_name = "before-call.dynamodb.TransactWriteItems"
    hook_id = f"wallet-moves-{next(_hook_ids)}"
    moved: list[bool] = []

    def move_wallet(**_: Any) -> None:
        if not moved:
            moved.append(True)
            credit(Ledger(), f"race:{user_id}", user_id, amount)

    events.register(event_name, move_wallet, unique_id=hook_id)
    try:
        yield
    finally:
        events.unregister(event_name, unique_id=hook_id)
    assert moved, "no composed transaction was sent"
