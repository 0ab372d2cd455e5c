"""The daily earning loop over HTTP against the local runtime (issue 10's journey): a new user waits for
their group's window, watches a full ad, mines for 4 hours and is credited exactly once; AdMob's signed
callback (the runtime signs it like Google, and serves its verifier keys over HTTP) confirms an ad once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import httpx

from tests.e2e.test_accounts_e2e import User, new_user
from tests.e2e.test_sessions_e2e import log_in

REWARD = 2_500 * 4
AD_SECONDS = 60


def now(api: httpx.Client) -> datetime:
    return datetime.fromisoformat(api.get("/_local/clock").json()["now"])


def advance_to(api: httpx.Client, user: User, moment: datetime) -> User:
    """Move the local clock (running what became due) and log in again: tokens age with the clock."""
    seconds = max((moment - now(api)).total_seconds(), 0)
    assert api.post("/_local/clock", json={"advance_seconds": seconds}).status_code == 200
    return replace(user, token=log_in(api, user, user.device_id).json()["access_token"])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def watched_ad(api: httpx.Client, user: User) -> str:
    issued = api.post("/v1/ads/impressions", json={"placement": "MINING"}, headers=user.auth)
    assert issued.status_code == 201, issued.text
    assert api.post("/_local/clock", json={"advance_seconds": AD_SECONDS}).status_code == 200
    completed = api.post(f"/v1/ads/impressions/{issued.json()['impression_id']}/complete", headers=user.auth)
    assert completed.status_code == 200, completed.text
    return str(issued.json()["impression_id"])


def mining_entries(api: httpx.Client, user: User) -> list[tuple[str, int]]:
    page = api.get("/v1/wallet/transactions", headers=user.auth).json()
    return [(t["id"], t["amount"]) for t in page["items"] if t["type"] == "MINING"]


def test_a_new_user_mines_once_per_window_and_is_credited_exactly_once(api: httpx.Client) -> None:
    # Given a new user, who reads their mining state
    user = new_user(api, "miner")
    first = api.get("/v1/mining", headers=user.auth).json()
    assert 1 <= first["group"] <= 10 and first["session"] is None
    group = first["group"]
    # When the clock reaches their group's next window
    user = advance_to(api, user, at(first["next_window_at"]))
    assert api.get("/v1/mining", headers=user.auth).json()["state"] == "AVAILABLE"
    # Then an ad claimed after 30 s is refused
    short = api.post("/v1/ads/impressions", json={"placement": "MINING"}, headers=user.auth).json()
    assert api.post("/_local/clock", json={"advance_seconds": 30}).status_code == 200
    refused = api.post(f"/v1/ads/impressions/{short['impression_id']}/complete", headers=user.auth)
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "ad_incomplete")
    # And a full one unlocks a session; a second start is refused
    started = api.post(
        "/v1/mining/sessions", json={"impression_id": watched_ad(api, user)}, headers=user.auth
    )
    assert started.status_code == 201, started.text
    session = started.json()
    again = api.post("/v1/mining/sessions", json={"impression_id": watched_ad(api, user)}, headers=user.auth)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "mining_active")
    # And the accrued amount grows with the clock, never past the reward
    accrued = []
    for hours in (1, 2, 3):
        user = advance_to(api, user, at(session["started_at"]) + timedelta(hours=hours))
        accrued.append(api.get("/v1/mining", headers=user.auth).json()["accrued"])
    assert 0 < accrued[0] < accrued[1] < accrued[2] < REWARD
    # When the session has ended, the next read shows the whole reward, credited once as MINING
    user = advance_to(api, user, at(session["ends_at"]))
    ended = api.get("/v1/mining", headers=user.auth).json()
    assert (ended["accrued"], ended["session"]["status"]) == (REWARD, "COMPLETED")
    assert mining_entries(api, user) == [(f"mining:{session['id']}", REWARD)]
    # And running the group's schedule again, and reading again, credits nothing more
    for run in ("open", "close"):
        assert api.post(f"/_local/schedules/group-window-{group:02d}-{run}").status_code == 200
    assert api.get("/v1/mining", headers=user.auth).status_code == 200
    assert mining_entries(api, user) == [(f"mining:{session['id']}", REWARD)]
    # When the window has closed, a start is refused
    user = advance_to(api, user, at(ended["window_closes_at"]))
    late = api.post("/v1/mining/sessions", json={"impression_id": watched_ad(api, user)}, headers=user.auth)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "window_closed")


def test_admobs_signed_callback_confirms_an_impression_once(api: httpx.Client) -> None:
    user = new_user(api, "admob")
    issued = api.post("/v1/ads/impressions", json={"placement": "MINING"}, headers=user.auth).json()
    # When AdMob calls back for it (signed with the runtime's key, verified against its key server)
    reward = {"impression_id": issued["impression_id"], "transaction_id": "18fa792de1bca816048293fc71035638"}
    first = api.post("/_local/admob/rewards", json=reward).json()
    assert (first["status"], first["body"]["outcome"]) == (200, "CONFIRMED")
    # Then a replay changes nothing more, and a tampered copy is refused
    replay = api.post("/_local/admob/rewards", json=reward).json()
    assert (replay["status"], replay["body"]["outcome"]) == (200, "ALREADY_APPLIED")
    tampered = api.get("/webhooks/admob/ssv?" + first["query"].replace("reward_amount=1", "reward_amount=5"))
    assert (tampered.status_code, tampered.json()["error"]["code"]) == (403, "invalid_signature")
