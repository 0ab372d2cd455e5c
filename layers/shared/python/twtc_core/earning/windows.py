"""Group mining windows (spec §6), as pure functions of the group and an instant.

Group g's slots start every 4 hours from `(g - 1) x 24 min` after 00:00 UTC; each window stays open
`window_minutes`. With 10 groups the slots of a 4-hour cycle are spread 24 minutes apart. Because 4 hours
divide a day, every group's slots fall at the same minute past the same 6 hours each day, so one EventBridge
cron per group (`infra_cdk.wiring.group_window_cron`) hits exactly its slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

CYCLE = timedelta(hours=4)
SLOT_SPACING = timedelta(minutes=24)
SLOTS_PER_DAY = 6
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a midnight UTC: the slots' phase is measured from it


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime


def slot_offset(group: int) -> timedelta:
    """How long after each 4-hour boundary (00:00, 04:00, ...) group `group`'s slot starts."""
    return (group - 1) * SLOT_SPACING


def latest_slot_start(group: int, moment: datetime) -> datetime:
    """The start of the group's slot at or before `moment`."""
    phase = (moment - _EPOCH - slot_offset(group)) % CYCLE
    return moment - phase


def open_window(group: int, moment: datetime, window_minutes: int) -> Window | None:
    """The group's window open at `moment` (its start included, its close excluded), if any."""
    opens_at = latest_slot_start(group, moment)
    closes_at = opens_at + timedelta(minutes=window_minutes)
    return Window(opens_at, closes_at) if moment < closes_at else None


def next_window_at(group: int, moment: datetime) -> datetime:
    """The start of the group's first slot strictly after `moment`."""
    return latest_slot_start(group, moment) + CYCLE


def slots_of_day(group: int, day: datetime) -> list[datetime]:
    """The group's 6 slot starts on the UTC day that `day` falls on."""
    midnight = day.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return [midnight + slot_offset(group) + k * CYCLE for k in range(SLOTS_PER_DAY)]
