"""Fixed-window rate limits (spec §9) kept in the security table, shared by every function.

A window is one counter item per (scope, subject, window start), bumped with an atomic conditional ADD,
so concurrent callers can never exceed the limit; it expires (TTL) once its window has passed. A refusal
says when the window ends: the `Retry-After` the API returns. Several limits on one action are taken in
one transaction, and given back in one (possibly the transaction that records the action).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twtc_core import errors
from twtc_core.clock import utc_now
from twtc_core.dynamo import Check, Transaction
from twtc_core.security import SecurityStore, WindowUse


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

    def use(self, amount: int) -> WindowUse:
        return WindowUse(
            self.rule.scope, self.subject, self.window_start, self.expires_at, self.rule.limit, amount
        )


class RateLimiter:
    def __init__(self, store: SecurityStore | None = None) -> None:
        self._store = store or SecurityStore()

    def acquire(self, rule: RateLimit, subject: str, refusal: type[errors.RateLimited]) -> Slot:
        """Count one use now, or raise `refusal` (with Retry-After) when the window is full."""
        return self.acquire_all([(rule, subject)], refusal)[0]

    def acquire_all(self, uses: list[tuple[RateLimit, str]], refusal: type[errors.RateLimited]) -> list[Slot]:
        """Count one use of every (rule, subject) now, all or none, or raise `refusal` for the first
        full window."""
        slots = [slot_now(rule, subject) for rule, subject in uses]
        full = self._store.add_to_windows([slot.use(1) for slot in slots])
        for slot in slots:
            if slot.use(1) in full:
                raise refused(slot, refusal)
        return slots

    def take_with(self, writes: Transaction, slot: Slot) -> Check | None:
        """Count the slot's use within `writes`; the check fails when its window is full (see `refused`)."""
        return self._store.add_to_window(writes, slot.use(1))

    def give_back(self, slots: list[Slot], writes: Transaction | None = None) -> None:
        """Undo `acquire`s whose action did not count (failed, or only failures are limited): within
        `writes` when given (they are given back if and only if it commits), else at once."""
        if writes is None:
            self._store.add_to_windows([slot.use(-1) for slot in slots])
            return
        for slot in slots:
            self._store.add_to_window(writes, slot.use(-1))


def refused(slot: Slot, refusal: type[errors.RateLimited]) -> errors.RateLimited:
    """The refusal of a use that found the slot's window full, with the Retry-After of its end."""
    end = slot.window_start + slot.rule.window_seconds
    return refusal(
        "Too many attempts; try again later.",
        retry_after_seconds=math.ceil(end - utc_now().timestamp()),
        details={"limit": slot.rule.limit, "window_seconds": slot.rule.window_seconds},
    )


def slot_now(rule: RateLimit, subject: str) -> Slot:
    """The slot a use of `rule` by `subject` takes now (nothing is counted yet)."""
    start = int(utc_now().timestamp() // rule.window_seconds) * rule.window_seconds
    return Slot(rule, subject, start, expires_at=start + 2 * rule.window_seconds)
