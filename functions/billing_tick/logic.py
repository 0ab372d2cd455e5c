"""The billing tick's rules: bill every active call at once (a thread pool: each call's work is network
round trips), so one minute's tick ends well within the minute even with many calls."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from twtc_core.calls.models import Call
from twtc_core.calls.service import CallService, TickReport

WORKERS = 32
T = TypeVar("T")


def concurrently(work: Callable[[Call], T], calls: list[Call]) -> list[T]:
    if not calls:
        return []
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(calls))) as pool:
        return list(pool.map(work, calls))


def tick(service: CallService, now: datetime) -> TickReport:
    return service.tick(now, concurrently)


def summary(report: TickReport) -> dict[str, Any]:
    return {
        "active_calls": report.active_calls,
        "minutes_charged": report.minutes_charged,
        "hung_up": report.hung_up,
    }
