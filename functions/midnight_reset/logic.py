"""Which day a reset closes: the UTC day before its scheduled time. Anchored half a day back, so a run
EventBridge delivers late (or retries) still closes the day that just ended, never the new one."""

from __future__ import annotations

from datetime import datetime, timedelta

from twtc_core.clock import utc_day
from twtc_core.stats import DayStats, StatsStore

DELIVERY_SLACK = timedelta(hours=12)


def close_ended_day(stats: StatsStore, scheduled_at: datetime) -> tuple[DayStats, bool]:
    """The ended day's snapshot, and whether this run wrote it (a repeated run writes nothing)."""
    return stats.close(utc_day(scheduled_at - DELIVERY_SLACK))
