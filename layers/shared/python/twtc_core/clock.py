"""The one clock every function reads.

In AWS it is the system clock. Tests freeze it; the local runtime moves it forward
(`POST /_local/clock`), so timing rules (4-hour mining, 30 s quiz timer, schedules) are exercised
without sleeping.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None

    def now(self) -> datetime:
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else datetime.now(UTC)
            return base + self._offset

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def freeze(self, at: datetime) -> None:
        with self._lock:
            self._frozen_at = at.astimezone(UTC)
            self._offset = timedelta(0)

    def reset(self) -> None:
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta(0)


CLOCK = Clock()


def utc_now() -> datetime:
    return CLOCK.now()


def iso(moment: datetime) -> str:
    """ISO-8601 in UTC with millisecond precision and a `Z`: sortable as text, the form stored and served."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_day(moment: datetime | None = None) -> str:
    """The UTC calendar day (`2026-11-25`) of `moment`, by default now: what "today" means everywhere."""
    return (moment or CLOCK.now()).astimezone(UTC).date().isoformat()


def epoch_days_after(day: str, days: int) -> int:
    """Epoch seconds `days` after the UTC day began: a DynamoDB TTL for items that outlive their day."""
    return int((datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=days)).timestamp())
