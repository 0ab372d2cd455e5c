"""What presence and the lobby cost (issue 9): AWS calls for `$connect`, a heartbeat, `$disconnect`, a
lobby page of 20 and a presence lookup, through the real handlers; and the lobby page measured with few
and with many users (hosts who are not connected included), which must cost the same."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

import boto3

from bench.counting import counting
from functions.lobby.handler import lambda_handler as lobby_handler
from local_runtime.moto_fidelity import fresh_aws
from local_runtime.resources import REGION
from tests.support import presence
from tests.support.cognito import SignedInUser, signed_in_user
from tests.support.events import FakeLambdaContext, http_event

Table = Callable[[str, Sequence[str], list[tuple[Any, ...]]], None]
PAGE = 20
ONLINE_HOSTS = 2 * PAGE
USER_COUNTS = (100, 5_000)  # profiles in the users table; the lobby page must not notice the difference
VIEWER = "bench-viewer"


def _calls(operation: Callable[[], Any]) -> tuple[int, str]:
    with counting() as calls:
        operation()
    return calls.total(), ", ".join(f"{name} x{count}" for name, count in sorted(calls.items()))


def _seed_users(count: int) -> None:
    """Profiles of users who are not connected; half of them hosts who accept calls."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(os.environ["USERS_TABLE_NAME"])
    with table.batch_writer() as batch:
        for n in range(count):
            user_id = f"bench-user-{n:06d}"
            batch.put_item(
                Item={
                    "pk": f"USER#{user_id}",
                    "sk": "PROFILE",
                    "user_id": user_id,
                    "status": "ACTIVE",
                    "accepts_calls": n % 2 == 0,
                    "call_rate": 1_000,
                    "created_at": "2026-11-25T09:00:00.000Z",
                }
            )


def _host(n: int) -> SignedInUser:
    user = signed_in_user(f"bench-host-{n}@example.com")
    presence.give_profile(user, name=f"Host {n}", accepts_calls=True)
    return user


def _get(event_name: str, **kwargs: Any) -> None:
    response = lobby_handler(http_event(event_name, caller=VIEWER, **kwargs), FakeLambdaContext())
    assert response["statusCode"] == 200, response


def _lobby_page() -> None:
    _get("http_api_hosts_get", query={"limit": str(PAGE)})


def _operations() -> list[tuple[str, int, str, str]]:
    hosts = [_host(n) for n in range(ONLINE_HOSTS)]
    guest = signed_in_user("bench-guest@example.com")
    presence.give_profile(guest, name="Guest", accepts_calls=False)
    for n, user in enumerate(hosts[1:]):
        presence.connect(user, f"bench-conn-{n}=")
    _lobby_page()  # the viewer's session check is cached per container from here on
    steps: list[tuple[str, Callable[[], Any], str]] = [
        ("$connect (a user who takes no calls)", lambda: presence.connect(guest, "bench-guest="), ""),
        ("$connect (a host: listed in the lobby)", lambda: presence.connect(hosts[0], "bench-host="), ""),
        ("heartbeat (a user who takes no calls)", lambda: presence.heartbeat("bench-guest="), ""),
        ("heartbeat (a host)", lambda: presence.heartbeat("bench-host="), ""),
        ("$disconnect (the user's last connection)", lambda: presence.disconnect("bench-guest="), ""),
        (f"GET /v1/hosts (page of {PAGE}, session check cached)", _lobby_page, "independent of users"),
        (
            "GET /v1/users/{id}/presence",
            lambda: _get("http_api_user_presence_get", path=f"/v1/users/{hosts[0].user_id}/presence"),
            "1 query",
        ),
    ]
    return [(name, *_calls(step), goal) for name, step, goal in steps]


def _lobby_growth() -> list[tuple[str, int, str, str]]:
    rows = []
    for users in USER_COUNTS:
        with fresh_aws() as env:
            os.environ.update(env)
            _seed_users(users)
            for n in range(ONLINE_HOSTS):
                presence.connect(_host(n), f"bench-conn-{n}=")
            _lobby_page()
            calls, which = _calls(_lobby_page)
            rows.append(
                (f"{users:,} users, {ONLINE_HOSTS} hosts online", calls, which, "same for any user count")
            )
    return rows


def report(table: Table) -> None:
    with fresh_aws() as env:
        os.environ.update(env)
        table(
            "Presence and lobby: AWS calls per request (issue 9)",
            ("step", "calls", "which", "goal"),
            _operations(),
        )
    table(
        f"Lobby page of {PAGE}: cost with the users table growing (goal: grows with online hosts, not users)",
        ("tables hold", "calls", "which", "goal"),
        _lobby_growth(),
    )
