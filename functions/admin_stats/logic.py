"""Admin stats rules: a closed day is its snapshot (one read), today its live counters (one Query of
the day's shards); never a scan, whatever the number of users. A series spans at most `MAX_SERIES_DAYS`."""

from __future__ import annotations

from datetime import date, timedelta

from functions.admin_stats.models import DayStatsOut, StatsSeriesOut
from twtc_core import errors
from twtc_core.admin import Actor, require_admin
from twtc_core.clock import utc_day
from twtc_core.stats import DayStats, StatsStore

MAX_SERIES_DAYS = 92


class InvalidRange(errors.Invalid):
    code = "invalid_range"


def day(stats: StatsStore, actor: Actor, wanted: date | None) -> DayStatsOut:
    require_admin(actor)
    chosen = _not_future(wanted.isoformat() if wanted else utc_day())
    return DayStatsOut.of(_closed_or_live(stats, chosen, stats.snapshots([chosen])))


def series(stats: StatsStore, actor: Actor, first: date, last: date) -> StatsSeriesOut:
    require_admin(actor)
    if last < first or (last - first).days >= MAX_SERIES_DAYS:
        raise InvalidRange(f"`to` must be on or after `from`, at most {MAX_SERIES_DAYS} days in all.")
    days = [_not_future((first + timedelta(days=n)).isoformat()) for n in range((last - first).days + 1)]
    snapshots = stats.snapshots(days)
    return StatsSeriesOut(items=[DayStatsOut.of(_closed_or_live(stats, day, snapshots)) for day in days])


def _closed_or_live(stats: StatsStore, day: str, snapshots: dict[str, DayStats]) -> DayStats:
    """A day not closed yet (today, or a day whose reset has not run) reads its live counters."""
    return snapshots.get(day) or stats.live(day)


def _not_future(day: str) -> str:
    if day > utc_day():
        raise InvalidRange("No stats for days to come.", {"date": day})
    return day
