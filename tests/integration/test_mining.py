"""Ads and mining through the real handlers (API Gateway events, moto): impressions are single use and
user bound, a session starts only inside the group's window, progress is computed on read, and each
session is credited exactly once, by the group's window job or by the next read."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest

from functions.mining.handler import services as mining_services
from tests.support.earning import (
    after,
    complete_impression,
    issue_impression,
    mining_entries,
    mining_state,
    move_clock_to_window,
    provision,
    run_group_window,
    seed_ad_units,
    start_mining,
    watched_impression,
)
from twtc_core.earning import mining
from twtc_core.earning.sessions import MiningStore
from twtc_core.security import RequestOrigin, SecurityStore

ALICE = "6f1c9a2e-1111-4a5b-9c3d-00000000000a"
BOB = "6f1c9a2e-1111-4a5b-9c3d-00000000000b"
GROUP = 3
REWARD = 2_500 * 4


@pytest.fixture
def miners(aws: dict[str, str]) -> None:
    seed_ad_units()
    provision(ALICE, GROUP)
    provision(BOB, GROUP)


def test_a_new_user_waits_for_their_group_window(miners: None, clock: Any) -> None:
    # Given the clock at 09:00 UTC, inside group 3's 08:48-09:48 window
    status, body = mining_state(ALICE)
    assert status == 200
    assert body["group"] == GROUP and body["session"] is None and body["accrued"] == 0
    assert body["state"] == "AVAILABLE"
    assert body["window_closes_at"] == "2026-11-25T09:48:00.000Z"
    assert body["next_window_at"] == "2026-11-25T12:48:00.000Z"
    # When the window closes
    clock.advance(48 * 60)
    status, body = mining_state(ALICE)
    # Then the user waits for the next one
    assert (body["state"], body["window_closes_at"], body["next_window_at"]) == (
        "WAITING_WINDOW",
        None,
        "2026-11-25T12:48:00.000Z",
    )


def test_an_ad_completed_early_is_refused_and_recorded_as_a_timing_signal(miners: None, clock: Any) -> None:
    impression_id = issue_impression(ALICE)
    clock.advance(59)
    status, body = complete_impression(ALICE, impression_id)
    assert status == 422 and body["error"]["code"] == "ad_incomplete"
    fraud = SecurityStore().get_fraud_event(f"ad:{impression_id}:early")
    assert fraud is not None and fraud.type == "AD_TIMING" and fraud.user_id == ALICE
    assert [a.action for a in SecurityStore().activity_of(ALICE)] == ["ad_incomplete"]
    # And once the minute has passed the same impression completes
    clock.advance(1)
    assert complete_impression(ALICE, impression_id)[0] == 200


def test_an_impression_is_single_use_and_bound_to_its_user(miners: None, clock: Any) -> None:
    impression_id = issue_impression(ALICE)
    clock.advance(60)
    assert complete_impression(BOB, impression_id)[1]["error"]["code"] == "impression_not_found"
    assert complete_impression(ALICE, impression_id)[0] == 200
    status, body = complete_impression(ALICE, impression_id)
    assert status == 409 and body["error"]["code"] == "impression_used"
    # Bob cannot spend Alice's impression either; Alice spends it once
    assert start_mining(BOB, impression_id)[1]["error"]["code"] == "impression_invalid"
    assert start_mining(ALICE, impression_id)[0] == 201


def test_a_session_runs_accrues_and_is_credited_exactly_once(miners: None, clock: Any) -> None:
    impression_id = watched_impression(ALICE)
    # When Alice starts inside the window
    status, session = start_mining(ALICE, impression_id)
    assert status == 201
    assert (session["base_reward"], session["boost_multiplier"], session["status"]) == (REWARD, 100, "ACTIVE")
    # Then a second start is refused, even with a fresh ad
    status, body = start_mining(ALICE, watched_impression(ALICE))
    assert status == 409 and body["error"]["code"] == "mining_active"
    # And accrual grows with the clock, pro rata, without exceeding the reward
    seen = []
    for _ in range(5):
        clock.advance(3_600)
        seen.append(mining_state(ALICE)[1]["accrued"])
    assert seen[0] < seen[1] < seen[2] < seen[3] == seen[4] == REWARD
    # And the ended session was settled by that read: one MINING entry of the reward
    assert [(e.id, e.amount) for e in mining_entries(ALICE)] == [(f"mining:{session['id']}", REWARD)]
    # When the group's window job runs and Alice reads again, nothing more is credited
    assert run_group_window(GROUP)["settled"] == 0
    assert mining_state(ALICE)[1]["session"]["status"] == "COMPLETED"
    assert len(mining_entries(ALICE)) == 1
    activity = list(SecurityStore().activity_of(ALICE))
    assert [a.action for a in activity].count("mining_started") == 1
    # each ad completion is recorded with its minimum watch time and what was watched (the fraud rules)
    completions = [a for a in activity if a.action == "ad_completed"]
    assert completions and {(a.required_seconds, a.elapsed_seconds) for a in completions} == {(60, 60.0)}


def test_the_group_window_settles_only_its_due_sessions(miners: None, clock: Any) -> None:
    provision(user := "6f1c9a2e-1111-4a5b-9c3d-00000000000c", 4)
    assert start_mining(ALICE, watched_impression(ALICE))[0] == 201  # at 09:01, ending 13:01
    move_clock_to_window(4)
    assert start_mining(user, watched_impression(user))[0] == 201  # group 4 at 09:13, ending 13:13
    # When group 3's next window opens (12:48), nothing is due yet
    opens = move_clock_to_window(GROUP)
    assert run_group_window(GROUP) == {"group": GROUP, "settled": 0, "notified": 0}
    # When it closes (13:48) and the job runs again
    clock.advance(after(opens, minutes=60).total_seconds())
    assert run_group_window(GROUP) == {"group": GROUP, "settled": 1, "notified": 0}
    # Then Alice's session is credited once, group 4's session is left alone
    assert len(mining_entries(ALICE)) == 1 and mining_entries(user) == []
    assert run_group_window(GROUP)["settled"] == 0
    state = mining_state(ALICE)[1]
    assert (state["state"], state["session"]["status"]) == ("WAITING_WINDOW", "COMPLETED")


def test_a_start_outside_the_window_is_refused(miners: None, clock: Any) -> None:
    impression_id = watched_impression(ALICE)
    clock.advance(48 * 60)
    status, body = start_mining(ALICE, impression_id)
    assert status == 409 and body["error"]["code"] == "window_closed"
    assert body["error"]["details"] == {"next_window_at": "2026-11-25T12:48:00.000Z"}


def test_an_impression_older_than_its_lifetime_unlocks_nothing(miners: None, clock: Any) -> None:
    impression_id = watched_impression(ALICE)
    clock.advance(9 * 60)  # issued 10 minutes ago now
    status, body = start_mining(ALICE, impression_id)
    assert status == 422 and body["error"]["code"] == "impression_invalid"


def test_twenty_parallel_starts_with_one_impression_make_one_session(miners: None, clock: Any) -> None:
    impression_id = watched_impression(ALICE)

    def start(_: int) -> str:
        try:
            return mining.start_session(mining_services, ALICE, impression_id, RequestOrigin()).session_id
        except (mining.MiningActive, mining.ImpressionInvalid) as error:
            return error.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(start, range(20)))
    started = [outcome for outcome in outcomes if outcome not in {"mining_active", "impression_invalid"}]
    assert len(started) == 1
    latest = MiningStore().latest_of(ALICE)
    assert latest is not None and latest.session_id == started[0]


def test_with_ssv_required_only_a_network_confirmed_ad_unlocks_mining(miners: None, clock: Any) -> None:
    strict = replace(
        mining_services, settings=mining_services.settings.model_copy(update={"require_ad_ssv": True})
    )
    impression_id = watched_impression(ALICE)
    with pytest.raises(mining.ImpressionInvalid):
        mining.start_session(strict, ALICE, impression_id, RequestOrigin())
    strict.impressions.confirm_by_network(impression_id, "tx-1", clock.now())
    assert mining.start_session(strict, ALICE, impression_id, RequestOrigin()).user_id == ALICE


def test_an_impression_id_that_is_no_ulid_is_refused_before_any_lookup(miners: None) -> None:
    status, body = complete_impression(ALICE, "x" * 3000)
    assert status == 422 and body["error"]["code"] == "validation_failed"
