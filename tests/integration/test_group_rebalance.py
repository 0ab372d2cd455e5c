"""The weekly rebalance through its handler: only miners idle for 7 days leave an oversized group, into
the smallest groups, and the group counters stay exactly the members' count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from functions.group_rebalance.handler import lambda_handler
from tests.support.earning import (
    move_clock_to_window,
    provision,
    seed_ad_units,
    start_mining,
    watched_impression,
)
from tests.support.events import FakeLambdaContext, event
from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.profiles import ProfileStore

USERS = [f"6f1c9a2e-3333-4a5b-9c3d-00000000000{n}" for n in range(1, 7)]


def mine(user_id: str) -> None:
    assert start_mining(user_id, watched_impression(user_id))[0] == 201


def group_of(user_id: str) -> int | None:
    profile = ProfileStore().get(user_id)
    return profile.group if profile else None


def test_idle_miners_move_out_of_an_oversized_group_and_counters_stay_exact(
    aws: dict[str, str], clock: Any
) -> None:
    # Given six members of group 1 and no one elsewhere: two mined 8 days ago, one mines now,
    # one mined 2 days ago, two never mined
    seed_ad_units()
    for user_id in USERS:
        provision(user_id, 1)
    move_clock_to_window(1)
    mine(USERS[0])
    mine(USERS[1])
    clock.advance(timedelta(days=6).total_seconds())
    move_clock_to_window(1)
    mine(USERS[3])
    clock.advance(timedelta(days=2).total_seconds() - 3_600)
    move_clock_to_window(1)
    mine(USERS[2])
    # When the weekly rebalance runs
    result = lambda_handler(event("eventbridge_weekly_rebalance"), FakeLambdaContext())
    # Then only the two idle miners moved, into the smallest groups
    assert result["moved"] == 2
    assert [group_of(user_id) for user_id in USERS] == [2, 3, 1, 1, 1, 1]
    # And every counter is its members' count
    assert {g: n for g, n in GroupStore().sizes().items() if n} == {1: 4, 2: 1, 3: 1}
    # And running it again moves no one
    assert lambda_handler(event("eventbridge_weekly_rebalance"), FakeLambdaContext())["moved"] == 0
