"""EventBridge schedule expressions as the local runtime reads them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from local_runtime.lambdas import LocalFunction
from local_runtime.schedules import Cron, InvalidSchedule, Rate, Scheduler, parse_expression

NOW = datetime(2026, 11, 25, 9, 7, 30, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("rate(1 minute)", datetime(2026, 11, 25, 9, 8, 30, tzinfo=UTC)),
        ("rate(5 minutes)", datetime(2026, 11, 25, 9, 12, 30, tzinfo=UTC)),
        ("rate(2 hours)", datetime(2026, 11, 25, 11, 7, 30, tzinfo=UTC)),
        ("rate(1 day)", datetime(2026, 11, 26, 9, 7, 30, tzinfo=UTC)),
        ("cron(0 0 * * ? *)", datetime(2026, 11, 26, 0, 0, tzinfo=UTC)),
        ("cron(30 0 * * ? *)", datetime(2026, 11, 26, 0, 30, tzinfo=UTC)),
        ("cron(* * * * ? *)", datetime(2026, 11, 25, 9, 8, tzinfo=UTC)),
        ("cron(0/15 * * * ? *)", datetime(2026, 11, 25, 9, 15, tzinfo=UTC)),
        ("cron(24 1-23/4 * * ? *)", datetime(2026, 11, 25, 9, 24, tzinfo=UTC)),
        ("cron(0 3 ? * MON *)", datetime(2026, 11, 30, 3, 0, tzinfo=UTC)),
        ("cron(0 3 ? * 1 *)", datetime(2026, 11, 29, 3, 0, tzinfo=UTC)),  # 1 = Sunday
        ("cron(0 12 1 JAN,JUL ? *)", datetime(2027, 1, 1, 12, 0, tzinfo=UTC)),
        ("cron(0 8 25 11 ? 2027)", datetime(2027, 11, 25, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_next_run_after_now(expression: str, expected: datetime) -> None:
    assert parse_expression(expression, anchor=NOW).next_after(NOW) == expected


def test_a_rate_stays_anchored_at_its_start_after_a_jump() -> None:
    rate = parse_expression("rate(10 minutes)", anchor=NOW)
    assert isinstance(rate, Rate)
    assert rate.next_after(datetime(2026, 11, 25, 12, 0, tzinfo=UTC)) == datetime(
        2026, 11, 25, 12, 7, 30, tzinfo=UTC
    )


def test_a_cron_due_exactly_now_runs_next_time_not_twice() -> None:
    cron = Cron.parse("0 0 * * ? *")
    assert cron.next_after(datetime(2026, 11, 26, 0, 0, tzinfo=UTC)) == datetime(
        2026, 11, 27, 0, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "expression",
    [
        "rate(0.5 hours)",
        "rate(0 minutes)",  # EventBridge needs a value >= 1
        "rate(0 minute)",
        "rate(1 minutes)",  # singular for 1 ...
        "rate(5 minute)",  # ... plural for more
        "rate(-1 days)",
        "every day",
        "cron(0 0 * * *)",  # five fields: EventBridge needs six
        "cron(0 0 * * * *)",  # day-of-month and day-of-week both set
        "cron(0 0 L * ? *)",  # L, W, # are refused, not misread
        "cron(61 0 * * ? *)",
        "cron(0 0 1 1 ? 1969)",
    ],
)
def test_unsupported_or_invalid_expressions_fail_at_start_up(expression: str) -> None:
    with pytest.raises(ValueError):
        parse_expression(expression, anchor=NOW)


def test_a_start_up_with_an_invalid_schedule_names_it() -> None:
    with pytest.raises(InvalidSchedule, match=r"'nightly'.*rate\(0 minutes\)"):
        Scheduler().add("nightly", "rate(0 minutes)", LocalFunction("f", lambda event, context: None))


def test_a_long_job_blocks_neither_other_schedules_nor_the_clock(clock: Any) -> None:
    # Given a daily job that is still running (its tick holds it) and a job due every minute
    release, started = threading.Event(), threading.Event()

    def long_job(event: dict[str, Any], context: Any) -> None:
        started.set()
        release.wait(timeout=30)

    scheduler = Scheduler()
    scheduler.add("daily", "rate(1 day)", LocalFunction("daily", long_job))
    scheduler.add("minutely", "rate(1 minute)", LocalFunction("minutely", lambda event, context: "ok"))
    clock.advance(24 * 60 * 60)
    running = threading.Thread(target=scheduler.tick)
    running.start()
    assert started.wait(timeout=10)
    try:
        # When the clock moves on meanwhile
        ran: list[list[str]] = []
        mover = threading.Thread(target=lambda: ran.append(scheduler.advance(60)))
        mover.start()
        mover.join(timeout=10)
        # Then the minutely job ran without waiting for the daily one to finish
        assert ran == [["minutely"]]
    finally:
        release.set()
        running.join()
