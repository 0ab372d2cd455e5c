"""Issue 13's journeys over HTTP against the local runtime, each user from its own viewer address and the
clock moved through /_local/clock: fast task claims raise a user's alert level to cooldown then CAPTCHA,
a fourth account on a device is reviewed, disabled and re-enabled by an admin, the admin routes
refuse whoever is not allowed, and a scripted day's stats are exactly what the script did."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import httpx
from websockets.sync.client import connect

from infra_cdk.wiring import SETTINGS
from local_runtime.captcha import PASSING_TOKEN
from tests.e2e.conftest import Runtime
from tests.support.e2e_clock import advance, now, past_midnight
from tests.support.e2e_trust import device_farmer, evaluate, events_of, in_group, log_in
from tests.support.e2e_users import User, new_user

# How long a function may serve a user's cached trust flags (twtc_core.accounts.sessions.SessionGate).
GATE_CACHE_SECONDS = 30
COOLDOWN_SECONDS = 600  # FRAUD_COOLDOWN_SECONDS
CLAIM_GAP_SECONDS = 2  # claims further apart than the rapid-repeat rule's second: only the timing is off
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
MINING_AD_SECONDS = 60
MINING_SESSION_SECONDS = 4 * 3600


def refusal(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def claim_early(api: httpx.Client, user: User, task: dict[str, Any], times: int) -> None:
    """Claim the started task's completion `times` before its minimum time: each one refused."""
    for _ in range(times):
        advance(api, CLAIM_GAP_SECONDS)
        claimed = api.post(f"/v1/tasks/{task['id']}/complete", headers=user.auth, json={})
        assert refusal(claimed) == (422, "task_incomplete")


def test_fast_claims_raise_the_level_to_cooldown_then_captcha_which_the_test_token_clears(
    runtime: Runtime, api: httpx.Client
) -> None:
    # Given a user with two of the day's slowest tasks, and a moderator
    moderator = in_group(runtime, api, new_user(api, "speed-moderator"), "moderator")
    speedy = new_user(api, "speedy")
    tasks = api.get("/v1/tasks/today", headers=speedy.auth).json()["items"]
    first, second = sorted(
        (task for task in tasks if task["type"] != "QUIZ"), key=lambda task: -task["min_seconds"]
    )[:2]
    assert second["min_seconds"] >= 20
    # When they claim the first task three times within seconds of starting it (score 3 x 15 = 45)
    assert api.post(f"/v1/tasks/{first['id']}/start", headers=speedy.auth).status_code == 200
    claim_early(api, speedy, first, times=3)
    evaluate(api)
    # Then three MEDIUM findings are in the review queue, and earning is paused: 429 with Retry-After
    found = events_of(api, moderator, speedy, "COMPLETED_TOO_FAST")
    assert [event["severity"] for event in found] == ["MEDIUM"] * 3
    advance(api, GATE_CACHE_SECONDS)
    paused = api.post(f"/v1/tasks/{second['id']}/start", headers=speedy.auth)
    assert refusal(paused) == (429, "cooldown")
    assert 0 < int(paused.headers["Retry-After"]) <= COOLDOWN_SECONDS - GATE_CACHE_SECONDS
    # When the cooldown has passed and they claim the second task early twice (score 75)
    advance(api, COOLDOWN_SECONDS)
    assert api.post(f"/v1/tasks/{second['id']}/start", headers=speedy.auth).status_code == 200
    claim_early(api, speedy, second, times=1)
    evaluate(api)  # the fourth finding: still level 2, its cooldown starts again
    claim_early(api, speedy, second, times=1)
    evaluate(api)
    # Then a CAPTCHA is required to earn
    advance(api, GATE_CACHE_SECONDS)
    complete = f"/v1/tasks/{second['id']}/complete"
    assert refusal(api.post(complete, headers=speedy.auth, json={})) == (403, "captcha_required")
    # A failing token keeps it
    failed = api.post("/v1/captcha/verify", json={"token": "not-the-test-token"}, headers=speedy.auth)
    assert refusal(failed) == (403, "captcha_failed")
    advance(api, GATE_CACHE_SECONDS)
    assert refusal(api.post(complete, headers=speedy.auth, json={})) == (403, "captcha_required")
    # The test token clears it: level 2 (the score stays above the normal band), the cooldown running
    passed = api.post("/v1/captcha/verify", json={"token": PASSING_TOKEN}, headers=speedy.auth)
    assert passed.json() == {"alert_level": 2, "captcha_required": False}
    advance(api, GATE_CACHE_SECONDS)
    assert refusal(api.post(complete, headers=speedy.auth, json={})) == (429, "cooldown")
    # And once that cooldown ends the task completes, credited as usual (on a new token: 15 min passed)
    advance(api, COOLDOWN_SECONDS)
    speedy = replace(speedy, token=log_in(api, speedy).json()["access_token"])
    done = api.post(complete, headers=speedy.auth, json={})
    assert done.status_code == 200, done.text
    assert done.json()["credited"] == second["reward"]


def admin_routes(api: httpx.Client) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every admin operation the API documents (/openapi.json): method, a path with its required query
    filled in, and a request body valid by the operation's own example."""
    document = api.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    sample = {"date": "2026-01-01", "string": "someone@example.com"}
    routes = []
    for path, operations in document["paths"].items():
        if not path.startswith("/v1/admin/"):
            continue
        for method, operation in operations.items():
            query = {
                parameter["name"]: sample[parameter["schema"].get("format", "string")]
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query" and parameter.get("required")
            }
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            body = None
            if body_schema:
                body = schemas[body_schema["schema"]["$ref"].rsplit("/", 1)[1]]["examples"][0]
            url = httpx.URL(path.replace("{id}", PLACEHOLDER_ID), params=query)
            routes.append((method.upper(), str(url), body))
    return routes


def test_an_admin_reviews_a_device_farm_disables_and_re_enables_the_user_and_others_are_refused(
    runtime: Runtime, api: httpx.Client
) -> None:
    # Given an admin, a moderator and a plain user
    admin_user = new_user(api, "trust-admin")
    admin = in_group(runtime, api, admin_user, "admin")
    moderator = in_group(runtime, api, new_user(api, "trust-moderator"), "moderator")
    plain = new_user(api, "plain")
    # When four accounts sign up on one device and the fourth logs in there
    farmer = device_farmer(api, "e2e-farm")
    # Then the review queue holds a MULTI_ACCOUNT event (HIGH) for them, listing the device's accounts
    [multi] = events_of(api, moderator, farmer, "MULTI_ACCOUNT")
    assert multi["severity"] == "HIGH"
    # When the admin finds them by email: the detail shows the event and its score (one fresh HIGH: 30)
    found = api.get("/v1/admin/users", params={"query": farmer.email}, headers=admin).json()["items"]
    assert [user["user_id"] for user in found] == [farmer.user_id]
    detail = api.get(f"/v1/admin/users/{farmer.user_id}", headers=admin).json()
    assert [event["event_id"] for event in detail["recent_fraud_events"]] == [multi["event_id"]]
    assert detail["score"] == 30
    # When they dismiss it, the score drops to nothing
    dismiss = {"action": "dismiss", "note": "Family phone, checked with the user."}
    resolved = api.post(f"/v1/admin/fraud-events/{multi['event_id']}/resolve", json=dismiss, headers=admin)
    assert resolved.json()["status"] == "DISMISSED"
    assert api.get(f"/v1/admin/users/{farmer.user_id}", headers=admin).json()["score"] == 0
    # When the admin disables the user: their sessions end (token refused) and their login is refused
    token = log_in(api, farmer).json()["access_token"]
    user = {"Authorization": f"Bearer {token}", **farmer.headers}
    disabled = api.post(f"/v1/admin/users/{farmer.user_id}/disable", headers=admin)
    assert disabled.json()["enabled"] is False
    advance(api, GATE_CACHE_SECONDS)
    assert refusal(api.get("/v1/wallet", headers=user)) == (401, "session_ended")
    assert refusal(log_in(api, farmer)) == (403, "account_suspended")
    # When they re-enable them: they can log in and use the app again
    enabled = api.post(f"/v1/admin/users/{farmer.user_id}/enable", headers=admin)
    assert enabled.json()["enabled"] is True
    again = log_in(api, farmer)
    assert again.status_code == 200, again.text
    user = {"Authorization": f"Bearer {again.json()['access_token']}", **farmer.headers}
    assert api.get("/v1/wallet", headers=user).status_code == 200
    # A moderator can neither adjust a wallet nor disable an admin
    adjust = {"amount": 100_000, "reason": "Goodwill credit for ticket #4812"}
    adjusted = api.post(f"/v1/admin/users/{farmer.user_id}/adjustments", json=adjust, headers=moderator)
    assert refusal(adjusted) == (403, "forbidden")
    assert refusal(api.post(f"/v1/admin/users/{admin_user.user_id}/disable", headers=moderator)) == (
        403,
        "forbidden",
    )
    # And a plain user is refused every admin route the API documents, valid requests included
    routes = admin_routes(api)
    assert len(routes) >= 30
    answers = [
        refusal(api.request(method, url, json=body, headers=plain.auth)) for method, url, body in routes
    ]
    assert answers == [(403, "forbidden")] * len(routes), list(zip(routes, answers, strict=True))


def relogged(api: httpx.Client, user: User) -> User:
    """The user with a new access token (tokens age with the local clock: 15 minutes)."""
    return replace(user, token=log_in(api, user).json()["access_token"])


def figures(api: httpx.Client, admin: User) -> dict[str, Any]:
    stats = api.get("/v1/admin/stats", headers=relogged(api, admin).auth)
    assert stats.status_code == 200, stats.text
    return dict(stats.json())


def change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What the day's figures gained: counters as differences, per-type maps without unchanged types."""
    gained: dict[str, Any] = {}
    for name, value in after.items():
        if isinstance(value, dict):
            gained[name] = {
                kind: amount - before[name].get(kind, 0)
                for kind, amount in value.items()
                if amount != before[name].get(kind, 0)
            }
        elif isinstance(value, int) and not isinstance(value, bool):
            gained[name] = value - before[name]
    return gained


def test_the_admin_stats_of_a_scripted_day_match_what_the_script_did(
    runtime: Runtime, api: httpx.Client
) -> None:
    # Given 08:00 UTC of a new day (every mining session of the day before settled by then), and an admin
    past_midnight(api, 8 * 3600)
    admin = new_user(api, "stats-admin")
    in_group(runtime, api, admin, "admin")
    evaluate(api)  # every action logged so far is counted (DAU: the fraud evaluator marks who acted)
    before = figures(api, admin)
    # When two people sign up; one opens the day's tasks and completes one
    miner, host = new_user(api, "stats-miner"), new_user(api, "stats-host")
    tasks = api.get("/v1/tasks/today", headers=miner.auth).json()["items"]
    task = next(task for task in tasks if task["type"] == "CONTENT")
    assert api.post(f"/v1/tasks/{task['id']}/start", headers=miner.auth).status_code == 200
    advance(api, task["min_seconds"])
    assert api.post(f"/v1/tasks/{task['id']}/complete", headers=miner.auth, json={}).status_code == 200
    # and mines once, at their group's window, with a watched ad, for the whole session
    window = api.get("/v1/mining", headers=miner.auth).json()["next_window_at"]
    advance(api, (datetime.fromisoformat(window) - now(api)).total_seconds())
    miner = relogged(api, miner)
    impression = api.post("/v1/ads/impressions", json={"placement": "MINING"}, headers=miner.auth).json()
    advance(api, MINING_AD_SECONDS)
    watched = api.post(f"/v1/ads/impressions/{impression['impression_id']}/complete", headers=miner.auth)
    assert watched.status_code == 200, watched.text
    mining = api.post(
        "/v1/mining/sessions", json={"impression_id": impression["impression_id"]}, headers=miner.auth
    )
    assert mining.status_code == 201, mining.text
    advance(api, MINING_SESSION_SECONDS)
    miner = relogged(api, miner)
    assert api.get("/v1/mining", headers=miner.auth).status_code == 200  # settles the ended session
    # and calls the other, now a host at 100 a minute, for 2 min 10 s: three started minutes
    host = relogged(api, host)
    assert api.patch("/v1/me", json={"accepts_calls": True, "call_rate": 100}, headers=host.auth).is_success
    with connect(f"{runtime.ws_url}?token={host.token}"):
        dialed = api.post(
            "/_local/twilio/calls", json={"from_user_id": miner.user_id, "to_user_id": host.user_id}
        )
        sid = dialed.json()["call_sid"]
        assert api.post(f"/_local/twilio/calls/{sid}/answer").status_code == 200
        advance(api, 130)
        assert api.post(f"/_local/twilio/calls/{sid}/hangup").status_code == 200
    # Then the day's stats gained exactly that
    miner, host = relogged(api, miner), relogged(api, host)
    evaluate(api)
    paid = {
        entry["type"]: entry["amount"]
        for user in (miner, host)
        for entry in api.get("/v1/wallet/transactions", headers=user.auth).json()["items"]
        if entry["type"] in ("MINING", "TASK")
    }
    earned = sum(
        entry["amount"]
        for entry in api.get("/v1/wallet/transactions", headers=host.auth).json()["items"]
        if entry["type"] == "CALL_EARNING"
    )
    assert change(before, figures(api, admin)) == {
        "dau": 2,  # the two who signed up and acted (the admin was active already)
        "new_users": 2,
        "coins_distributed_by_type": {
            "SIGNUP_BONUS": 2 * SETTINGS["SIGNUP_BONUS"],
            "TASK": task["reward"],
            "MINING": paid["MINING"],
            "CALL_EARNING": earned,
        },
        "coins_spent_on_calls": 300,
        "ads_watched": 1,
        "tasks_assigned": len(tasks),
        "tasks_completed": 1,
        "daily_bonuses": 0,
        "mining_sessions": 1,
        "boosts": 0,
        "call_minutes_billed": 3,
        "withdrawals": 0,
        "fraud_events_by_type": {},
    }
    assert paid["TASK"] == task["reward"] and earned == 3 * 60
