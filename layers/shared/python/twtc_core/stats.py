"""Daily platform counters (spec §4 admin stats: "from counters, never scans").

Whatever happens is counted as it happens, on the UTC day it happened:

    StatsStore().count(day, Metric.TASKS_COMPLETED)          # one UpdateItem (atomic ADD)
    StatsStore().count_with(writes, day, Metric.coins(EntryType.TASK), amount)   # inside a transaction
    StatsStore().mark_active(user_id, day)                    # DAU: counts the user once a day
                                                              # (the fraud evaluator, for every logged action)

Each day's counters are spread over `SHARDS` partitions, each write to one at random, so no partition is
hot however many users act at once; reading a day sums its shards (`SHARDS` Queries, whatever the number
of users or metrics). The midnight reset turns yesterday's counters into an immutable snapshot, so
reading a closed day is one GetItem. New metric names need no declaration: whatever was counted is read.

Keys (stats table):
  STATS#<date>#<shard> / <metric>       value (ADD); shard 0..SHARDS-1
  STATS#<date> / SNAPSHOT               the closed day's totals (written once)
  ACTIVE#<date>#<user> / ACTIVE         a user's first activity of the day (TTL), counted once
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.clock import epoch_days_after, iso, utc_now
from twtc_core.dynamo import Transaction, put_if
from twtc_core.settings import TABLES

# Issue 15: at 1 million users the busiest minute writes ~11,000 WCU/s of counters; 32 shards keep each
# partition near a third of its 1,000 WCU/s (docs/capacity.md).
SHARDS = 32
SNAPSHOT_SK = "SNAPSHOT"
ACTIVE_SK = "ACTIVE"
# Markers only matter on their own day; counters and snapshots stay for the admin series.
MARKER_DAYS = 2


class Metric:
    """The counted metrics. An unknown metric reads as 0, so a counter added later needs no migration."""

    USERS_ACTIVE = "users_active"
    NEW_USERS = "new_users"
    TASK_SETS = "task_sets"  # users who opened their day's tasks
    TASKS_ASSIGNED = "tasks_assigned"
    TASKS_COMPLETED = "tasks_completed"
    DAILY_BONUSES = "daily_bonuses"
    MINING_SESSIONS = "mining_sessions"
    BOOSTS = "boosts"
    ADS_WATCHED = "ads_watched"
    CALL_MINUTES_BILLED = "call_minutes_billed"
    COINS_SPENT_ON_CALLS = "coins_spent_on_calls"
    WITHDRAWALS = "withdrawals"

    @staticmethod
    def coins(entry_type: str) -> str:
        """Coins credited or debited as entries of this type (minor units)."""
        return f"coins:{entry_type}"

    @staticmethod
    def fraud(event_type: str) -> str:
        return f"fraud:{event_type}"


class _StatsItem(Model):
    class Meta:
        table_name = TABLES.stats_table_name
        region = TABLES.aws_region

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    value = NumberAttribute(null=True)  # counters
    totals = MapAttribute[str, int](null=True)  # snapshots
    closed_at = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)  # markers


@dataclass(frozen=True)
class DayStats:
    day: str
    totals: dict[str, int]
    closed: bool  # a snapshot (immutable) rather than live counters

    def get(self, metric: str) -> int:
        return self.totals.get(metric, 0)


def _day_key(day: str) -> str:
    return f"STATS#{day}"


def _shard_key(day: str, shard: int) -> str:
    return f"STATS#{day}#{shard}"


def _counter(day: str, metric: str) -> _StatsItem:
    return _StatsItem(_shard_key(day, random.randrange(SHARDS)), metric)


def _totals(item: _StatsItem) -> dict[str, int]:
    return {name: int(value) for name, value in (item.totals.as_dict() if item.totals else {}).items()}


class StatsStore:
    """The only code that touches the stats table."""

    def __init__(self) -> None:
        # The users this container has seen counted today: the fraud evaluator marks every action's user,
        # and a user acts many times a day; one write for their first action here, none after.
        self._counted_today: tuple[str, set[str]] = ("", set())

    def count(self, day: str, metric: str, n: int = 1) -> None:
        """Add `n` to the day's metric (one UpdateItem on a random shard)."""
        _counter(day, metric).update(actions=[_StatsItem.value.add(n)])

    def count_with(self, writes: Transaction, day: str, metric: str, n: int = 1) -> None:
        """Add `n` to the day's metric when `writes` commits (counted exactly once with what it counts)."""
        writes.update(_counter(day, metric), [_StatsItem.value.add(n)])

    def mark_active(self, user_id: str, day: str) -> bool:
        """Count the user active today unless already counted: one TransactWriteItems (the marker, new
        only, and the counter), none if this container counted them today; False when counted before."""
        if self._counted_today[0] != day:
            self._counted_today = (day, set())
        if user_id in self._counted_today[1]:
            return False
        writes = Transaction()
        marker = _StatsItem(
            f"ACTIVE#{day}#{user_id}", ACTIVE_SK, expires_at=epoch_days_after(day, MARKER_DAYS)
        )
        writes.put(marker, _StatsItem.pk.does_not_exist())
        self.count_with(writes, day, Metric.USERS_ACTIVE)
        counted_now = not writes.commit()
        self._counted_today[1].add(user_id)  # only once the marker is known to exist
        return counted_now

    def live(self, day: str) -> DayStats:
        """The day's counters summed over their shards (one Query per shard)."""
        totals: dict[str, int] = {}
        for shard in range(SHARDS):
            for item in _StatsItem.query(_shard_key(day, shard)):
                totals[item.sk] = totals.get(item.sk, 0) + int(item.value or 0)
        return DayStats(day, totals, closed=False)

    def snapshot(self, day: str) -> DayStats | None:
        try:
            item = _StatsItem.get(_day_key(day), SNAPSHOT_SK, consistent_read=True)
        except _StatsItem.DoesNotExist:
            return None
        return DayStats(day, _totals(item), closed=True)

    def snapshots(self, days: list[str]) -> dict[str, DayStats]:
        """The closed days among `days` (BatchGetItem, up to 100 keys a call)."""
        keys = [(_day_key(day), SNAPSHOT_SK) for day in days]
        found = {}
        for item in _StatsItem.batch_get(keys):
            day = item.pk.removeprefix("STATS#")
            found[day] = DayStats(day, _totals(item), closed=True)
        return found

    def close(self, day: str) -> tuple[DayStats, bool]:
        """Write the day's snapshot from its counters, once: (the snapshot, whether this call wrote it).
        Counters landing after the close (a request straddling midnight) stay readable live but change
        no snapshot: a closed day is immutable."""
        totals = self.live(day).totals
        snapshot = _StatsItem(_day_key(day), SNAPSHOT_SK, totals=totals, closed_at=iso(utc_now()))
        if put_if(snapshot, _StatsItem.pk.does_not_exist()):
            return DayStats(day, totals, closed=True), True
        return self.snapshot(day) or DayStats(day, totals, closed=True), False
