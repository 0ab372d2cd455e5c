"""What the local runtime "sent": verification codes, emails, SMS and push notifications.

Deployed, Cognito and the WebSocket API deliver these; locally they are recorded here and served at
`GET /_local/outbox`, so a developer (or an e2e test) can read a verification code.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from twtc_core.clock import iso, utc_now

Channel = Literal["email", "sms", "push"]


@dataclass(frozen=True)
class Message:
    channel: Channel
    to: str
    kind: str
    payload: dict[str, Any]
    sent_at: str = field(default_factory=lambda: iso(utc_now()))


class Outbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []

    def record(self, channel: Channel, to: str, kind: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self._messages.append(Message(channel, to, kind, payload))

    def messages(self, to: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(m) for m in self._messages if to is None or m.to == to]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


OUTBOX = Outbox()
