"""Group mining windows (spec §6) and on-read accrual, as pure functions: every group, every slot, the
day boundaries; and the EventBridge cron each group's schedule uses hits exactly those slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infra_cdk.wiring import function, group_window_cron
from local_runtime.schedules import Cron
from twtc_core.earning import windows
from twtc_core.earning.models import MiningSession

DAY = datetime(2026, 11, 25, tzinfo=UTC)
WINDOW_MINUTES = 60
# Group -> its six UTC slot times (the table in docs/mining.md).
SLOTS = {
    1: ["00:00", "04:00", "08:00", "12:00", "16:00", "20:00"],
    2: ["00:24", "04:24", "08:24", "12:24", "16:24", "20:24"],
    3: ["00:48", "04:48", "08:48", "12:48", "16:48", "20:48"],
    4: ["01:12", "05:12", "09:12", "13:12", "17:12", "21:12"],
    5: ["01:36", "05:36", "09:36", "13:36", "17:36", "21:36"],
    6: ["02:00", "06:00", "10:00", "14:00", "18:00", "22:00"],
    7: ["02:24", "06:24", "10:24", "14:24", "18:24", "22:24"],
    8: ["02:48", "06:48", "10:48", "14:48", "18:48", "22:48"],
    9: ["03:12", "07:12", "11:12", "15:12", "19:12", "23:12"],
    10: ["03:36", "07:36", "11:36", "15:36", "19:36", "23:36"],
}


def at(hhmm: str, day: datetime = DAY) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)


@pytest.mark.parametrize("group", sorted(SLOTS))
def test_every_group_has_its_six_slots_a_day(group: int) -> None:
    assert windows.slots_of_day(group, DAY + timedelta(hours=13)) == [at(slot) for slot in SLOTS[group]]


@pytest.mark.parametrize(("group", "slot"), [(g, s) for g, slots in SLOTS.items() for s in slots])
def test_a_window_is_open_from_its_slot_for_the_window_length(group: int, slot: str) -> None:
    opens = at(slot)
    closes = opens + timedelta(minutes=WINDOW_MINUTES)
    # Given each slot; Then open at its first instant and its last, closed at its close and just before it.
    assert windows.open_window(group, opens, WINDOW_MINUTES) == windows.Window(opens, closes)
    assert windows.open_window(group, closes - timedelta(seconds=1), WINDOW_MINUTES) == windows.Window(
        opens, closes
    )
    assert windows.open_window(group, closes, WINDOW_MINUTES) is None
    assert windows.open_window(group, opens - timedelta(seconds=1), WINDOW_MINUTES) is None
    # And the next window after any instant of it is the slot 4 hours later (across midnight too).
    assert windows.next_window_at(group, opens) == opens + timedelta(hours=4)
    assert windows.next_window_at(group, opens - timedelta(seconds=1)) == opens


@pytest.mark.parametrize("group", sorted(SLOTS))
def test_the_day_boundary_leads_to_the_first_slot_of_the_next_day(group: int) -> None:
    last_of_day = at(SLOTS[group][-1])
    after_it = last_of_day + timedelta(minutes=WINDOW_MINUTES)
    next_day = DAY + timedelta(days=1)
    assert windows.next_window_at(group, after_it) == at(SLOTS[group][0], next_day)
    assert windows.next_window_at(group, next_day - timedelta(microseconds=1)) == at(
        SLOTS[group][0], next_day
    )


def cron_fires_on(day: datetime, expression: str) -> list[datetime]:
    """When an EventBridge cron expression fires over one UTC day (read as the local scheduler reads it)."""
    cron = Cron.parse(expression.removeprefix("cron(").removesuffix(")"))
    fired, moment = [], day - timedelta(seconds=1)
    while (moment := cron.next_after(moment)) < day + timedelta(days=1):
        fired.append(moment)
    return fired


@pytest.mark.parametrize("group", sorted(SLOTS))
def test_each_group_cron_fires_exactly_at_its_slots(group: int) -> None:
    assert cron_fires_on(DAY, group_window_cron(group)) == windows.slots_of_day(group, DAY)


@pytest.mark.parametrize("group", sorted(SLOTS))
def test_each_group_has_a_run_as_its_windows_open_and_one_as_they_close(group: int) -> None:
    runs = {
        schedule.name: (cron_fires_on(DAY, schedule.expression), schedule.input_json)
        for schedule in function("group_window").schedules
        if schedule.input_json == f'{{"group": {group}}}'
    }
    slots = windows.slots_of_day(group, DAY)
    closes = sorted(
        slot + timedelta(minutes=WINDOW_MINUTES) - (timedelta(days=1) if slot.hour >= 23 else timedelta(0))
        for slot in slots
    )
    assert runs == {
        f"group-window-{group:02d}-open": (slots, f'{{"group": {group}}}'),
        f"group-window-{group:02d}-close": (closes, f'{{"group": {group}}}'),
    }


def session(boost: int = 100) -> MiningSession:
    started = DAY + timedelta(hours=1)
    return MiningSession("s", "u", 1, started, started + timedelta(hours=4), 10_000, boost, "ACTIVE")


@pytest.mark.parametrize(
    ("elapsed", "boost", "accrued"),
    [
        (timedelta(seconds=-5), 100, 0),
        (timedelta(0), 100, 0),
        (timedelta(seconds=1), 100, 0),  # 10,000 x 1 / 14,400 floors to 0
        (timedelta(seconds=2), 100, 1),
        (timedelta(minutes=10), 100, 416),  # the seed's 10-minute update
        (timedelta(hours=1), 100, 2_500),
        (timedelta(hours=4) - timedelta(seconds=1), 100, 9_999),
        (timedelta(hours=4), 100, 10_000),
        (timedelta(days=3), 100, 10_000),  # capped at the reward
        (timedelta(hours=2), 150, 7_500),  # a boost scales the reward
    ],
)
def test_accrual_is_pro_rata_floored_and_capped(elapsed: timedelta, boost: int, accrued: int) -> None:
    mined = session(boost)
    assert mined.accrued_at(mined.started_at + elapsed) == accrued
