"""The group-window schedules as the local runtime runs them (the wiring's declaration, the local
scheduler, the local clock): over a simulated day each group's window opens exactly 6 times, at
`(g - 1) x 24 min + 4 h x k`, and each run is told its group."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from infra_cdk.wiring import SETTINGS, function
from local_runtime.lambdas import LocalFunction
from local_runtime.schedules import Scheduler
from twtc_core.clock import CLOCK, utc_now

DAY = datetime(2026, 11, 26, tzinfo=UTC)


def test_over_a_day_each_group_opens_six_windows_at_its_slots(clock: Any) -> None:
    # Given the local scheduler with the wiring's group-window schedules, at the day's first instant
    CLOCK.freeze(DAY - timedelta(seconds=1))
    runs: dict[str, list[tuple[datetime, dict[str, Any]]]] = defaultdict(list)
    scheduler = Scheduler()
    for schedule in function("group_window").schedules:
        recorder = LocalFunction(
            schedule.name, lambda event, _, n=schedule.name: runs[n].append((utc_now(), event))
        )
        scheduler.add(schedule.name, schedule.expression, recorder, schedule.input_json)
    # When the local clock moves through the whole day, a minute at a time
    while utc_now() < DAY + timedelta(days=1) - timedelta(minutes=1):
        scheduler.advance(60)
    # Then each group's window opened exactly at its 6 slots, each run told its group
    groups = range(1, int(SETTINGS["MINING_GROUPS"]) + 1)
    for group in groups:
        slots = [DAY + (group - 1) * timedelta(minutes=24) + k * timedelta(hours=4) for k in range(6)]
        opened = runs[f"group-window-{group:02d}-open"]
        assert [(at.replace(second=0, microsecond=0), event) for at, event in opened] == [
            (slot, {"group": group}) for slot in slots
        ]
        assert len(runs[f"group-window-{group:02d}-close"]) == 6
    assert sum(len(r) for r in runs.values()) == 12 * len(groups)
