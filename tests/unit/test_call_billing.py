"""Per-minute billing arithmetic (spec §5): started minutes, what is held, the host's share."""

from __future__ import annotations

import pytest

from twtc_core.calls.billing import affordable_minutes, billable_minutes, host_share, minutes_started


@pytest.mark.parametrize(
    ("elapsed", "minutes"),
    [(0, 0), (0.001, 1), (1, 1), (59.999, 1), (60, 1), (60.001, 2), (61, 2), (120, 2), (130, 3), (180, 3)],
)
def test_a_minute_is_started_once_the_call_has_lasted_longer_than_the_minutes_before_it(
    elapsed: float, minutes: int
) -> None:
    assert minutes_started(elapsed) == minutes


def test_no_more_minutes_are_billed_than_the_hold_pays_for() -> None:
    assert billable_minutes(181, held_minutes=3) == 3
    assert billable_minutes(130, held_minutes=120) == 3


@pytest.mark.parametrize(
    ("available", "rate", "max_minutes", "held"),
    [
        (1_000, 333, 120, 3),
        (999, 333, 120, 3),
        (998, 333, 120, 2),
        (332, 333, 120, 0),
        (0, 100, 120, 0),
        (1_000_000, 100, 120, 120),
    ],
)
def test_the_hold_covers_the_whole_minutes_the_caller_can_pay_up_to_the_maximum(
    available: int, rate: int, max_minutes: int, held: int
) -> None:
    assert affordable_minutes(available, rate, max_minutes) == held


@pytest.mark.parametrize(
    ("rate", "percent", "share"), [(1_000, 60, 600), (333, 60, 199), (101, 60, 60), (100, 60, 60), (1, 60, 0)]
)
def test_the_host_share_is_rounded_down_and_the_rest_stays_with_the_platform(
    rate: int, percent: int, share: int
) -> None:
    assert host_share(rate, percent) == share
    assert rate - share >= 0  # the platform keeps the remainder, never less than nothing
