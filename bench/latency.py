"""Latency of the seed's four operations through the local runtime: HTTP on loopback, a fixed number of
requests, at most CONCURRENCY in flight. The local runtime serves AWS from moto in-process, so its times
say how the handlers' own work compares, not what AWS will answer in; the deployed estimate comes from the
AWS round trips each operation makes (measured by `make simulate`) x an in-region round trip, plus API
Gateway's and Lambda's own overhead on a warm container.

    python -m bench.latency
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx

from tests.e2e.conftest import Runtime, device_of, registered_user, start_runtime
from tests.support.e2e_clock import advance, now

USERS = 20
CONCURRENCY = 4
LOGINS_PER_USER = 3  # the login limit is 5 per 15 minutes
WALLET_READS_PER_USER = 10
PASSWORD = "Correct-Horse-9-Battery"
AD_SECONDS = 60
# The seed's p95 targets (ms).
GOALS_MS = {"login": 200, "mining start": 300, "task completion": 150, "wallet": 100}
# The route each operation is, as `make simulate` counts its AWS calls.
ROUTES = {
    "login": "POST /v1/auth/login",
    "mining start": "POST /v1/mining/sessions",
    "task completion": "POST /v1/tasks/{id}/complete",
    "wallet": "GET /v1/wallet",
}
# In-region p95 of one call, ms: DynamoDB's single-digit latency plus the SDK; Cognito's auth flows are
# slower (an SRP-less USER_PASSWORD_AUTH still runs the pool's triggers and token signing).
ROUND_TRIP_P95_MS = {"dynamodb": 10.0, "cognito-idp": 120.0}
OTHER_ROUND_TRIP_P95_MS = 20.0
# API Gateway HTTP API + a warm Lambda invocation (arm64, 256 MB), without the handler's own calls.
PLATFORM_OVERHEAD_MS = 25.0


class User:
    def __init__(self, runtime: Runtime, email: str) -> None:
        self.email = email
        self.client = runtime.client()
        self.token = registered_user(self.client, email, PASSWORD)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def log_in(self) -> httpx.Response:
        body = {"username": self.email, "password": PASSWORD, "device_id": device_of(self.email)}
        response = self.client.post("/v1/auth/login", json=body)
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response


def timed(requests: list[Callable[[], httpx.Response]]) -> list[float]:
    """Each request's time in ms, CONCURRENCY at a time; every one must succeed."""

    def one(request: Callable[[], httpx.Response]) -> float:
        started = time.perf_counter()
        response = request()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code in (200, 201), response.text
        return elapsed

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        return list(pool.map(one, requests))


def _login(user: User) -> Callable[[], httpx.Response]:
    return user.log_in


def _wallet(user: User) -> Callable[[], httpx.Response]:
    return lambda: user.client.get("/v1/wallet", headers=user.auth)


def _complete(user: User, task_id: str) -> Callable[[], httpx.Response]:
    return lambda: user.client.post(f"/v1/tasks/{task_id}/complete", headers=user.auth, json={})


def _start_mining(user: User, impression: str) -> Callable[[], httpx.Response]:
    return lambda: user.client.post(
        "/v1/mining/sessions", json={"impression_id": impression}, headers=user.auth
    )


def task_completions(users: list[User], api: httpx.Client) -> list[float]:
    """Round by round, each user's next AD or CONTENT task started, its watch time passed, then completed
    (QUIZ tasks need the answer, which only an admin can read). One task at a time per user and a second
    apart, as a person would: the fraud layer asks a script that repeats an earning action within a
    second for a CAPTCHA."""
    todo = {
        user.email: [
            task
            for task in user.client.get("/v1/tasks/today", headers=user.auth).json()["items"]
            if task["type"] != "QUIZ"
        ]
        for user in users
    }
    samples: list[float] = []
    for round_ in range(max(len(tasks) for tasks in todo.values())):
        due = [(user, todo[user.email][round_]) for user in users if round_ < len(todo[user.email])]
        for user, task in due:
            response = user.client.post(f"/v1/tasks/{task['id']}/start", headers=user.auth)
            assert response.status_code == 200, response.text
        advance(api, max(task["min_seconds"] for _, task in due) + 1)
        samples += timed([_complete(user, task["id"]) for user, task in due])
        advance(api, 1)
    return samples


def mining_starts(users: list[User], api: httpx.Client) -> tuple[list[float], list[float]]:
    """Each group's users at their window: log in again (tokens last 15 minutes), watch the ad, start."""
    by_window: dict[datetime, list[User]] = {}
    for user in users:
        state = user.client.get("/v1/mining", headers=user.auth).json()
        by_window.setdefault(datetime.fromisoformat(state["next_window_at"]), []).append(user)
    logins, starts = [], []
    for window in sorted(by_window):
        group = by_window[window]
        if window > now(api):
            advance(api, (window - now(api)).total_seconds())
        logins += timed([_login(user) for user in group])
        issued = [
            user.client.post("/v1/ads/impressions", json={"placement": "MINING"}, headers=user.auth).json()
            for user in group
        ]
        advance(api, AD_SECONDS)
        for user, impression in zip(group, issued, strict=True):
            path = f"/v1/ads/impressions/{impression['impression_id']}/complete"
            assert user.client.post(path, headers=user.auth).status_code == 200
        starts += timed(
            [
                _start_mining(user, impression["impression_id"])
                for user, impression in zip(group, issued, strict=True)
            ]
        )
    return logins, starts


def measure() -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as directory:
        runtime = start_runtime(Path(directory) / "runtime.log")
        try:
            with runtime.client() as api:
                users = [User(runtime, f"latency{n:03d}@example.com") for n in range(USERS)]
                samples = {
                    "wallet": timed([_wallet(user) for user in users for _ in range(WALLET_READS_PER_USER)]),
                    "login": timed([_login(user) for user in users for _ in range(LOGINS_PER_USER - 1)]),
                    "task completion": task_completions(users, api),
                }
                more_logins, samples["mining start"] = mining_starts(users, api)
                samples["login"] += more_logins
                for user in users:
                    user.client.close()
                return samples
        finally:
            runtime.interrupt()


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def estimated_p95_ms(round_trips: dict[str, float]) -> float:
    """Sequential round trips at their in-region p95 plus the platform's overhead (a pessimistic sum)."""
    return PLATFORM_OVERHEAD_MS + sum(
        calls * ROUND_TRIP_P95_MS.get(service, OTHER_ROUND_TRIP_P95_MS)
        for service, calls in round_trips.items()
    )


def rows(
    samples: dict[str, list[float]],
    route_calls: dict[str, dict[str, float]],
    route_invocations: dict[str, float],
) -> list[tuple[str, ...]]:
    result = []
    for operation, goal in GOALS_MS.items():
        values = samples[operation]
        route = ROUTES[operation]
        invocations = route_invocations.get(route, 0.0) or 1.0
        trips = {
            service: calls / invocations for service, calls in route_calls.get(route, {}).items() if calls
        }
        estimate = estimated_p95_ms(trips)
        result.append(
            (
                operation,
                str(len(values)),
                f"{statistics.median(values):.0f}",
                f"{percentile(values, 0.95):.0f}",
                ", ".join(f"{service} {calls:.1f}" for service, calls in sorted(trips.items())) or "-",
                f"{estimate:.0f}",
                f"{goal} ({'met' if estimate <= goal else 'not met'})",
            )
        )
    return result
