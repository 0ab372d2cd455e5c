"""EventBridge schedules against the local clock.

Each schedule knows its next due time on the local clock (`twtc_core.clock.CLOCK`); `tick()` runs those
that are due with a real scheduled event. A background loop ticks every second, and moving the clock
(`POST /_local/clock`) ticks at once, so a job that became due has run when the call returns. Like
EventBridge, missed runs are not replayed: after a jump the next due time is the first one after now.

Expressions, as EventBridge accepts them: `rate(1 minute|hour|day)` or `rate(N minutes|hours|days)` for
N > 1 (anchored at start-up, as a rule is anchored at its creation) and
`cron(minutes hours day-of-month month day-of-week year)` with `* , - /`, `?`, month and weekday names;
`L`, `W` and `#` are refused at start-up rather than misread. An invalid expression stops
the start-up with `InvalidSchedule`, naming the schedule.

A job runs outside the scheduler's lock: a long one neither delays other schedules nor `/_local/clock`.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from local_runtime.events import scheduled_event
from local_runtime.lambdas import LocalFunction
from twtc_core.clock import CLOCK, iso
from twtc_core.observability import logger

TICK_SECONDS = 1.0
RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]  # EventBridge: 1 = SUN ... 7 = SAT
CRON_SEARCH_DAYS = 366 * 5


class InvalidSchedule(ValueError):
    """A schedule expression EventBridge would refuse (or this emulation cannot read)."""


class Cadence(Protocol):
    def next_after(self, moment: datetime) -> datetime: ...


@dataclass(frozen=True)
class Rate:
    anchor: datetime
    period: timedelta

    def next_after(self, moment: datetime) -> datetime:
        elapsed = max(moment - self.anchor, timedelta(0))
        return self.anchor + (elapsed // self.period + 1) * self.period


def _field(text: str, low: int, high: int, names: list[str] | None = None) -> frozenset[int]:
    numeric = text
    for index, name in enumerate(names or []):
        numeric = re.sub(rf"\b{name}\b", str(index + low), numeric, flags=re.IGNORECASE)
    if re.search(r"[LW#]", numeric):
        raise ValueError(f"cron field {text!r}: L, W and # are not supported locally")
    values: set[int] = set()
    for part in numeric.split(","):
        span, _, step = part.partition("/")
        if span in ("*", "?"):
            first, last = low, high
        elif "-" in span:
            first, last = (int(bound) for bound in span.split("-"))
        else:
            first = last = int(span)
            if step:
                last = high
        if not low <= first <= last <= high:
            raise ValueError(f"cron field {text!r} is outside {low}-{high}")
        values.update(range(first, last + 1, int(step or 1)))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None  # None: any day of the month (`?`)
    months: frozenset[int]
    weekdays: frozenset[int] | None  # None: any day of the week (`?`)
    years: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> Cron:
        parts = text.split()
        if len(parts) != 6:
            raise ValueError(
                f"cron({text}) needs 6 fields: minutes hours day-of-month month day-of-week year"
            )
        minutes, hours, days, months, weekdays, years = parts
        if (days == "?") == (weekdays == "?"):
            raise ValueError(f"cron({text}): exactly one of day-of-month and day-of-week must be '?'")
        return cls(
            minutes=_field(minutes, 0, 59),
            hours=_field(hours, 0, 23),
            days=None if days in ("?", "*") else _field(days, 1, 31),
            months=_field(months, 1, 12, MONTHS),
            weekdays=None if weekdays in ("?", "*") else _field(weekdays, 1, 7, WEEKDAYS),
            years=_field(years, 1970, 2199),
        )

    def _matches(self, day: date) -> bool:
        weekday = (day.weekday() + 1) % 7 + 1  # Python: Monday = 0; EventBridge: Sunday = 1
        return (
            day.year in self.years
            and day.month in self.months
            and (self.days is None or day.day in self.days)
            and (self.weekdays is None or weekday in self.weekdays)
        )

    def next_after(self, moment: datetime) -> datetime:
        start = moment.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        for offset in range(CRON_SEARCH_DAYS):
            day = start.date() + timedelta(days=offset)
            if not self._matches(day):
                continue
            for hour in sorted(self.hours):
                for minute in sorted(self.minutes):
                    candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
                    if candidate >= start:
                        return candidate
        raise ValueError("the cron expression never fires again")


def parse_expression(expression: str, anchor: datetime) -> Cadence:
    rate = re.fullmatch(r"rate\((\d+) (minute|hour|day)(s?)\)", expression.strip())
    if rate:
        count, unit, plural = int(rate.group(1)), rate.group(2), rate.group(3)
        if count < 1:
            raise ValueError(f"{expression!r}: the value must be 1 or more")
        if (count == 1) == bool(plural):
            raise ValueError(f"{expression!r}: the unit is singular for 1 and plural for more")
        return Rate(anchor, timedelta(seconds=count * RATE_UNITS[unit]))
    cron = re.fullmatch(r"cron\((.+)\)", expression.strip())
    if cron:
        return Cron.parse(cron.group(1))
    raise ValueError(f"unsupported schedule expression {expression!r}")


@dataclass
class ScheduledJob:
    name: str
    expression: str
    function: LocalFunction
    cadence: Cadence
    next_due: datetime
    input_json: str | None = None  # the wiring's constant target input, sent instead of the event
    runs: int = 0
    last_run: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "expression": self.expression,
            "function": self.function.name,
            "next_due": iso(self.next_due),
            "runs": self.runs,
            "last_run": self.last_run,
        }


class Scheduler:
    def __init__(self) -> None:
        self._jobs: dict[str, ScheduledJob] = {}
        self._ticking = threading.Lock()

    def add(self, name: str, expression: str, function: LocalFunction, input_json: str | None = None) -> None:
        now = CLOCK.now()
        try:
            cadence = parse_expression(expression, anchor=now)
        except ValueError as error:
            raise InvalidSchedule(f"schedule {name!r}: {error}") from None
        self._jobs[name] = ScheduledJob(
            name, expression, function, cadence, cadence.next_after(now), input_json
        )

    def names(self) -> list[str]:
        return sorted(self._jobs)

    def describe(self) -> list[dict[str, Any]]:
        return [self._jobs[name].describe() for name in self.names()]

    def tick(self) -> list[str]:
        """Run every job whose time has come on the local clock; the names that ran."""
        with self._ticking:
            due = self._claim_due()
        return self._run_all(due)

    def advance(self, seconds: float) -> list[str]:
        """Move the local clock and run what became due, before the background loop can: the caller
        learns exactly what ran."""
        with self._ticking:
            CLOCK.advance(seconds)
            due = self._claim_due()
        return self._run_all(due)

    def _claim_due(self) -> list[tuple[ScheduledJob, datetime]]:
        """(Under the lock) the due jobs with their scheduled times, each moved to its next due time so that
        no other tick runs it again; the jobs themselves run once the lock is released."""
        now = CLOCK.now()
        due = [(job, job.next_due) for job in self._jobs.values() if job.next_due <= now]
        for job, _ in due:
            job.next_due = job.cadence.next_after(now)
        return due

    def _run_all(self, due: list[tuple[ScheduledJob, datetime]]) -> list[str]:
        for job, scheduled_at in due:
            self._run(job, scheduled_at)
        return [job.name for job, _ in due]

    def run_now(self, name: str) -> dict[str, Any]:
        """Run one job now (`POST /_local/schedules/{name}`), leaving its cadence alone."""
        job = self._jobs[name]
        self._run(job, CLOCK.now())
        return job.describe()

    def _run(self, job: ScheduledJob, at: datetime) -> None:
        job.runs += 1
        try:
            event = json.loads(job.input_json) if job.input_json else scheduled_event(job.name, at)
            result = job.function.invoke(event)
        except Exception as error:
            logger.exception("scheduled job failed", extra={"schedule": job.name})
            job.last_run = {"at": iso(at), "ok": False, "error": repr(error)}
        else:
            job.last_run = {"at": iso(at), "ok": True, "result": result}

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(TICK_SECONDS):
            self.tick()
