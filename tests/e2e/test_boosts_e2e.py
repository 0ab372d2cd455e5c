"""Boosts as a client sees them (the local runtime over HTTP, its clock moved through /_local/clock): a
mining session's video boost pays exactly base x (multiplier - 1) for the right answer in time and nothing
otherwise; a video once a day, three boosts a day, and both limits start over at 00:00 UTC."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx

from local_runtime.seed import SEED_DATA
from tests.e2e.test_accounts_e2e import User, new_user
from tests.e2e.test_mining_e2e import advance_to, now, watched_ad
from tests.e2e.test_tasks_e2e import advance

BASE = 2_500 * 4
VIDEOS = {video["video_id"]: video for video in json.loads((SEED_DATA / "videos.json").read_text())}
LATE_WINDOWS_FROM = timedelta(hours=20)  # each group has one window a day between 20:00 and 24:00 UTC
INTO_THE_WINDOW = timedelta(minutes=10)


def late_window_of(group: int, after: datetime) -> datetime:
    """Ten minutes into the group's evening window, at or after `after`: a session started then runs
    across midnight, with time to boost before it."""
    day = after.replace(hour=0, minute=0, second=0, microsecond=0)
    start = day + LATE_WINDOWS_FROM + timedelta(minutes=24 * (group - 1)) + INTO_THE_WINDOW
    return start if start >= after else start + timedelta(days=1)


def boosted(api: httpx.Client, user: User, video_id: str) -> httpx.Response:
    return api.post("/v1/boosts", json={"video_id": video_id}, headers=user.auth)


def watch(api: httpx.Client, user: User, video_id: str) -> str:
    """A boost started and its video played out; returns its id."""
    started = boosted(api, user, video_id)
    assert started.status_code == 201, started.text
    advance(api, VIDEOS[video_id]["duration_seconds"])
    return str(started.json()["id"])


def answered(api: httpx.Client, user: User, boost_id: str, option: str) -> Any:
    response = api.post(f"/v1/boosts/{boost_id}/answer", json={"option": option}, headers=user.auth)
    assert response.status_code == 200, response.text
    return response.json()


def right(video_id: str) -> str:
    return str(VIDEOS[video_id]["question"]["correct_option"])


def wrong(video_id: str) -> str:
    return next(option for option in "ABCD" if option != right(video_id))


def boost_entries(api: httpx.Client, user: User) -> list[tuple[str, int]]:
    page = api.get("/v1/wallet/transactions", headers=user.auth).json()
    return [(t["id"], t["amount"]) for t in page["items"] if t["type"] == "BOOST"]


def test_boosts_pay_only_the_right_answer_in_time_within_the_days_limits(api: httpx.Client) -> None:
    # Given a new user mining from ten minutes into their group's evening window
    user = new_user(api, "booster")
    group = api.get("/v1/mining", headers=user.auth).json()["group"]
    user = advance_to(api, user, late_window_of(group, now(api)))
    session = api.post(
        "/v1/mining/sessions", json={"impression_id": watched_ad(api, user)}, headers=user.auth
    )
    assert session.status_code == 201, session.text
    # When they start a boost on the Taj Mahal (x1.5) and ask for the question at once
    taj = boosted(api, user, "taj-mahal")
    assert taj.status_code == 201, taj.text
    early = api.post(f"/v1/boosts/{taj.json()['id']}/question", headers=user.auth)
    # Then it is refused until the video has played out
    assert (early.status_code, early.json()["error"]["code"]) == (422, "video_incomplete")
    advance(api, VIDEOS["taj-mahal"]["duration_seconds"])
    question = api.post(f"/v1/boosts/{taj.json()['id']}/question", headers=user.auth)
    assert question.status_code == 200 and sorted(question.json()["options"]) == ["A", "B", "C", "D"]
    # And the right answer within 30 s credits exactly base x (1.5 - 1), once
    result = answered(api, user, taj.json()["id"], right("taj-mahal"))
    assert (result["correct"], result["credited"]) == (True, BASE * 50 // 100)
    assert boost_entries(api, user) == [(f"boost:{taj.json()['id']}", 5_000)]
    assert api.get("/v1/mining", headers=user.auth).json()["session"]["boost_multiplier"] == 150
    # When the same video is boosted again the same day
    again = boosted(api, user, "taj-mahal")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "video_used_today")
    # And a wrong answer, and a right one 31 s late, credit nothing
    missed = watch(api, user, "kerala-backwaters")
    assert api.post(f"/v1/boosts/{missed}/question", headers=user.auth).status_code == 200
    assert answered(api, user, missed, wrong("kerala-backwaters"))["credited"] == 0
    late = watch(api, user, "jaipur-pink-city")
    assert api.post(f"/v1/boosts/{late}/question", headers=user.auth).status_code == 200
    advance(api, 31)
    assert answered(api, user, late, right("jaipur-pink-city")) | {"id": late} == {
        "id": late,
        "correct": False,
        "credited": 0,
        "session_multiplier_added": 0,
    }
    assert boost_entries(api, user) == [(f"boost:{taj.json()['id']}", 5_000)]
    # And the day's fourth boost is refused
    fourth = boosted(api, user, "varanasi-ghats")
    assert (fourth.status_code, fourth.json()["error"]["code"]) == (409, "boost_limit_reached")
    # When the UTC day changes while the session still runs
    current = now(api)
    midnight = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    user = advance_to(api, user, midnight + timedelta(seconds=1))
    # Then the same video, and a boost beyond yesterday's three, start again
    assert boosted(api, user, "taj-mahal").status_code == 201
    assert api.get("/v1/mining", headers=user.auth).json()["state"] == "ACTIVE"
