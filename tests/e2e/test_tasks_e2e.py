"""Daily tasks and content as a client sees them (the local runtime over HTTP, its clock moved through
/_local/clock): the day's 20 tasks, server timing, the daily bonus and achievement, the next UTC day,
concurrent first reads, and the admin routes' answers (their refusals: tests/e2e/test_trust_admin_e2e.py)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import httpx

from tests.e2e.conftest import Runtime, device_of, registered_user
from tests.support.content import NEW_TASK_TYPE
from tests.support.e2e_clock import advance, past_midnight

PASSWORD = "Correct-Horse-9-Battery"
DAILY_BONUS = 5_000


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def log_in(api: httpx.Client, email: str) -> dict[str, str]:
    login = api.post(
        "/v1/auth/login", json={"username": email, "password": PASSWORD, "device_id": device_of(email)}
    )
    assert login.status_code == 200, login.text
    return bearer(login.json()["access_token"])


def admin_of(api: httpx.Client, runtime: Runtime, email: str) -> dict[str, str]:
    """A registered user whom an administrator put in the `admin` group, logged in again (the group is in
    the tokens issued after)."""
    registered_user(api, email, PASSWORD)
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=runtime.aws_endpoint)
    cognito.admin_add_user_to_group(UserPoolId=os.environ["USER_POOL_ID"], Username=email, GroupName="admin")
    return log_in(api, email)


def finish(
    api: httpx.Client, auth: dict[str, str], admin: dict[str, str], task: dict[str, Any]
) -> httpx.Response:
    started = api.post(f"/v1/tasks/{task['id']}/start", headers=auth)
    assert started.status_code == 200, started.text
    body: dict[str, Any] = {}
    if task["type"] == "QUIZ":
        question_id = started.json()["question"]["question_id"]
        answer = api.get(f"/v1/admin/quiz-questions/{question_id}", headers=admin).json()
        body = {"option": answer["question"]["correct_option"]}
    advance(api, task["min_seconds"])
    return api.post(f"/v1/tasks/{task['id']}/complete", headers=auth, json=body)


def test_a_day_of_tasks_pays_each_once_then_the_bonus_and_the_next_day_starts_over(
    runtime: Runtime, api: httpx.Client
) -> None:
    # Given a user at the start of a UTC day (room for the whole day's tasks before midnight)
    past_midnight(api, 3600)
    email = "tasks-journey@example.com"
    auth = bearer(registered_user(api, email, PASSWORD))
    admin = admin_of(api, runtime, "tasks-admin@example.com")
    # When 20 first reads arrive at once: one set of 20 (10 AD, 6 CONTENT, 4 QUIZ), all PENDING
    with ThreadPoolExecutor(max_workers=20) as pool:
        reads = list(
            pool.map(lambda _: runtime.client().get("/v1/tasks/today", headers=auth).json(), range(20))
        )
    day, tasks = reads[0]["day"], reads[0]["items"]
    assert all(read == reads[0] for read in reads)
    kinds = [task["type"] for task in tasks]
    assert (kinds.count("AD"), kinds.count("CONTENT"), kinds.count("QUIZ"), len(tasks)) == (10, 6, 4, 20)
    assert {task["status"] for task in tasks} == {"PENDING"}
    balance = api.get("/v1/wallet", headers=auth).json()["balance"]
    # Completing one faster than its minimum: 422, nothing credited
    assert api.post(f"/v1/tasks/{tasks[0]['id']}/start", headers=auth).status_code == 200
    advance(api, tasks[0]["min_seconds"] - 1)
    too_fast = api.post(f"/v1/tasks/{tasks[0]['id']}/complete", headers=auth, json={})
    assert (too_fast.status_code, too_fast.json()["error"]["code"]) == (422, "task_incomplete")
    assert api.get("/v1/wallet", headers=auth).json()["balance"] == balance
    # All 20 done: each reward once, the last one with the daily bonus
    done = [finish(api, auth, admin, task) for task in tasks]
    assert [response.status_code for response in done] == [200] * 20, [
        r.text for r in done if r.status_code != 200
    ]
    assert [response.json()["daily_bonus"] for response in done] == [0] * 19 + [DAILY_BONUS]
    again = api.post(f"/v1/tasks/{tasks[0]['id']}/complete", headers=auth, json={})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "task_already_completed")
    entries = api.get("/v1/wallet/transactions", headers=auth, params={"limit": 100}).json()["items"]
    paid = sorted(entry["amount"] for entry in entries if entry["type"] == "TASK")
    assert paid == sorted(task["reward"] for task in tasks)
    assert [entry["amount"] for entry in entries if entry["type"] == "TASK_BONUS"] == [DAILY_BONUS]
    assert api.get("/v1/wallet", headers=auth).json()["balance"] == balance + sum(paid) + DAILY_BONUS
    achievements = api.get("/v1/me/achievements", headers=auth).json()["items"]
    assert [(item["name"], item["day"]) for item in achievements] == [("daily_champion", day)]
    # When the clock passes 00:00 UTC
    past_midnight(api, 60)
    auth, admin = log_in(api, email), log_in(api, "tasks-admin@example.com")
    # Then 20 new PENDING tasks; yesterday's stay as they were, and yesterday's stats are closed
    fresh = api.get("/v1/tasks/today", headers=auth).json()
    assert fresh["day"] > day and len(fresh["items"]) == 20
    assert {task["status"] for task in fresh["items"]} == {"PENDING"}
    assert not {task["id"] for task in fresh["items"]} & {task["id"] for task in tasks}
    assert api.post(f"/v1/tasks/{tasks[1]['id']}/complete", headers=auth, json={}).status_code == 404
    assert api.get("/v1/wallet/transactions", headers=auth, params={"limit": 100}).json()["items"] == entries
    closed = api.get("/v1/admin/stats", headers=admin, params={"date": day}).json()
    assert closed["closed"] is True and closed["tasks_completed"] >= 20 and closed["daily_bonuses"] >= 1


def test_admins_see_answers_users_never_do(runtime: Runtime, api: httpx.Client) -> None:
    user = bearer(registered_user(api, "content-user@example.com", PASSWORD))
    admin = admin_of(api, runtime, "content-admin@example.com")
    # Admins read the answers
    video = api.get("/v1/admin/videos/taj-mahal", headers=admin).json()
    assert video["question"]["correct_option"] == "B"
    assert api.post("/v1/admin/task-types", headers=admin, json=NEW_TASK_TYPE).status_code == 201
    # Users' reads never carry them
    listed = api.get("/v1/videos", headers=user, params={"country": "IN"})
    assert listed.status_code == 200 and listed.json()["items"]
    assert "correct_option" not in listed.text and "question" not in listed.text
    quiz = next(
        task for task in api.get("/v1/tasks/today", headers=user).json()["items"] if task["type"] == "QUIZ"
    )
    started = api.post(f"/v1/tasks/{quiz['id']}/start", headers=user)
    assert started.status_code == 200 and "correct_option" not in started.text
