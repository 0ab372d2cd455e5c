"""Fixed-window rate limits (spec §9) kept in the security table, shared by every function.

A window is one counter item per (scope, subject, window start), bumped with an atomic conditional ADD,
so concurrent callers can never exceed the limit; it expires (TTL) once its window has passed. A refusal
says when the window ends: the `Retry-After` the API returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twtc_core import errors
from twtc_core.clock import utc_now
from twtc_core.security import SecurityStore


@dataclass(frozen=True)
class RateLimit:
    scope: str  # e.g. "signup-ip"
    limit: int
    window_seconds: int


@dataclass(frozen=True)
class Slot:
    """One counted use, in the window it was counted in (so giving it back finds the same window)."""

    rule: RateLimit
    subject: str
    window_start: int
    expires_at: int


class RateLimiter:
    def __init__(self, store: SecurityStore | None = None) -> None:
        self._store = store or SecurityStore()

    def acquire(self, rule: RateLimit, subject: str, refusal: type[errors.RateLimited]) -> Slot:
        """Count one use now, or raise `refusal` (with Retry-After) when the window is full."""
        now = utc_now().timestamp()
        start = int(now // rule.window_seconds) * rule.window_seconds
        end = start + rule.window_seconds
        slot = Slot(rule, subject, start, expires_at=end + rule.window_seconds)
        if not self._store.add_to_window(
            rule.scope, subject, start, expires_at=slot.expires_at, limit=rule.limit
        ):
            raise refusal(
                "Too many attempts; try again later.",
                retry_after_seconds=math.ceil(end - now),
                details={"limit": rule.limit, "window_seconds": rule.window_seconds},
            )
        return slot

    def give_back(self, slot: Slot) -> None:
        """Undo an `acquire` whose action did not count (failed, or only failures are limited)."""
        self._store.add_to_window(
            slot.rule.scope,
            slot.subject,
            slot.window_start,
            expires_at=slot.expires_at,
            limit=slot.rule.limit,
            amount=-1,
        )
