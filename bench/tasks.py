"""Issue 11's figures: AWS calls per daily-task request through the real handlers (goal: ≤ 3 after the
first read of the day), and the midnight reset's calls and time with 1,000 and 100,000 users (goal: flat).

The reset reads only the day's counters: `SHARDS` partitions of one item per metric, whatever the number
of users. So the 100,000-user day is seeded as the counters 100,000 users' events leave (their sums,
spread over the shards as the random writes spread them); the users' own items live in partitions the
reset never reads."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.counting import counting
from functions.midnight_reset.handler import lambda_handler as midnight_reset
from functions.tasks.handler import lambda_handler as tasks_handler
from functions.videos.handler import lambda_handler as videos_handler
from local_runtime.seed import seed_content
from tests.support.events import FakeLambdaContext, event, http_event
from twtc_core.clock import CLOCK, utc_day
from twtc_core.ledger import EntryType, Ledger
from twtc_core.stats import SHARDS, Metric, StatsStore
from twtc_core.tasks.day_tasks import DayTaskStore

USER = "bench-tasks-user"
CONTEXT = FakeLambdaContext()
START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
READ_GOAL = "≤ 3"
# What one user's day leaves in the counters, on average (a busy day: the day's set, 12 completions).
PER_USER = {
    Metric.USERS_ACTIVE: 1,
    Metric.TASK_SETS: 1,
    Metric.TASKS_ASSIGNED: 20,
    Metric.TASKS_COMPLETED: 12,
    Metric.coins(EntryType.TASK): 900,
    Metric.MINING_SESSIONS: 3,
}


def _request(handler: Callable[..., Any], name: str, path: str | None = None, body: Any = None) -> Any:
    response = handler(http_event(name, caller=USER, path=path, body=body), CONTEXT)
    assert response["statusCode"] == 200, response
    return response


def _measure(step: Callable[[], Any]) -> Counter[str]:
    with counting() as calls:
        step()
    return calls


def _describe(calls: Counter[str]) -> str:
    return ", ".join(f"{name} x{count}" for name, count in sorted(calls.items())) or "-"


def task_request_calls() -> list[tuple[str, int, str, str]]:
    """One user's day through the handlers, after the session check is cached (its cost is the gate's)."""
    CLOCK.freeze(START)
    seed_content()
    Ledger().open_wallet(USER)
    _request(tasks_handler, "http_api_me_achievements")  # warms the session check, as any first request

    def today() -> Any:
        return _request(tasks_handler, "http_api_tasks_today")

    def day_task(kind: str, status: str = "PENDING") -> Any:
        day_tasks = DayTaskStore().get(USER, utc_day())
        assert day_tasks is not None
        return next(t for t in day_tasks.tasks if t.type.value == kind and t.status.value == status)

    # Each step prepares its request (picking the task reads the store) outside what is measured.
    def start(kind: str) -> Callable[[], Any]:
        path = f"/v1/tasks/{day_task(kind).id}/start"
        return lambda: _request(tasks_handler, "http_api_tasks_start", path)

    def complete(kind: str) -> Callable[[], Any]:
        task = day_task(kind, "STARTED")
        CLOCK.advance(task.min_seconds)
        body = {"option": task.question.correct_option} if task.question else {}
        path = f"/v1/tasks/{task.id}/complete"
        return lambda: _request(tasks_handler, "http_api_tasks_complete", path, body)

    def ready(request: Callable[[], Any]) -> Callable[[], Callable[[], Any]]:
        return lambda: request

    rows = []
    for name, prepare, goal in [
        ("GET /v1/tasks/today (first read of the day: makes the set)", ready(today), "-"),
        ("GET /v1/tasks/today (later reads)", ready(today), READ_GOAL),
        ("POST /v1/tasks/{id}/start (AD)", lambda: start("AD"), READ_GOAL),
        ("POST /v1/tasks/{id}/complete (AD)", lambda: complete("AD"), READ_GOAL),
        ("POST /v1/tasks/{id}/start (QUIZ)", lambda: start("QUIZ"), READ_GOAL),
        ("POST /v1/tasks/{id}/complete (QUIZ, right answer)", lambda: complete("QUIZ"), READ_GOAL),
        ("GET /v1/videos", ready(lambda: _request(videos_handler, "http_api_videos_list")), "-"),
        ("GET /v1/me/achievements", ready(lambda: _request(tasks_handler, "http_api_me_achievements")), "-"),
    ]:
        calls = _measure(prepare())
        rows.append((name, calls.total(), _describe(calls), goal))
    CLOCK.reset()
    return rows


def _seed_counters(day: str, users: int) -> None:
    stats = StatsStore()
    writes = SHARDS * 3  # random shards, as many writers' counts land
    for metric, per_user in PER_USER.items():
        share, rest = divmod(per_user * users, writes)
        for n in range(writes):
            stats.count(day, metric, share + (rest if n == 0 else 0))


def midnight_reset_cost(users: int) -> tuple[str, int, str, str, str]:
    CLOCK.freeze(START)
    day = utc_day()
    _seed_counters(day, users)
    scheduled = {**event("eventbridge_midnight_reset"), "time": "2026-11-26T00:00:00Z"}
    with counting() as calls:
        started = time.perf_counter()
        result = midnight_reset(scheduled, CONTEXT)
        elapsed_ms = (time.perf_counter() - started) * 1000
    closed = StatsStore().snapshot(day)
    assert result["written"] and closed is not None and closed.get(Metric.USERS_ACTIVE) == users
    CLOCK.reset()
    return (f"{users:,} users", calls.total(), _describe(calls), f"{elapsed_ms:.0f}", "flat in users")
