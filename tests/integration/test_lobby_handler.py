"""The lobby Lambda through its real entry point: `GET /v1/hosts` lists connected hosts who accept calls
(ONLINE first, then BUSY; OFFLINE never), paged; `GET /v1/users/{id}/presence` answers anyone's status.
Connections are made through the presence Lambda, so the lobby reflects exactly what it wrote."""

from __future__ import annotations

from typing import Any

import pytest

from functions.lobby.handler import lambda_handler as lobby_handler
from tests.support.accounts import call
from tests.support.cognito import SignedInUser, signed_in_user
from tests.support.presence import connect, disconnect, give_profile, heartbeat, mark_busy
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import Clock

TAB_1, TAB_2 = "CmXkNcQvoAMCIFQ=", "CmXkNdRwoAMCJGR="
VIEWER = "6f1c9a2e-1111-4a5b-9c3d-000000000001"


@pytest.fixture
def meera(aws: dict[str, str]) -> SignedInUser:
    user = signed_in_user("meera@example.com")
    give_profile(user, name="Meera Iyer", accepts_calls=True, call_rate=1_500)
    return user


def lobby(**query: str) -> tuple[int, Any]:
    status, body, _ = call(lobby_handler, "http_api_hosts_get", caller=VIEWER, query=query or None)
    return status, body


def listed() -> list[tuple[str, str]]:
    status, body = lobby(limit="100")
    assert status == 200, body
    return [(item["user_id"], item["status"]) for item in body["items"]]


def presence_of(user_id: str, caller: str | None = VIEWER) -> tuple[int, Any]:
    path = f"/v1/users/{user_id}/presence"
    status, body, _ = call(lobby_handler, "http_api_user_presence_get", caller=caller, path=path)
    return status, body


def test_a_host_with_two_tabs_stays_listed_until_both_close(meera: SignedInUser) -> None:
    connect(meera, TAB_1)
    connect(meera, TAB_2)
    status, body = lobby()
    assert status == 200
    assert body == {
        "items": [{"user_id": meera.user_id, "name": "Meera Iyer", "call_rate": 1_500, "status": "ONLINE"}],
        "next_cursor": None,
    }
    disconnect(TAB_1)
    assert listed() == [(meera.user_id, "ONLINE")]
    disconnect(TAB_2)
    assert listed() == []
    assert presence_of(meera.user_id) == (200, {"user_id": meera.user_id, "status": "OFFLINE"})


def test_a_host_whose_heartbeats_stopped_leaves_the_lobby_without_any_disconnect(
    meera: SignedInUser, clock: Clock
) -> None:
    connect(meera, TAB_1)
    connect(meera, TAB_2)
    clock.advance(300)
    heartbeat(TAB_2)  # only the second tab is still alive
    clock.advance(400)
    assert listed() == [(meera.user_id, "ONLINE")]
    assert presence_of(meera.user_id)[1]["status"] == "ONLINE"
    clock.advance(200)
    assert listed() == []
    assert presence_of(meera.user_id)[1]["status"] == "OFFLINE"


def test_busy_hosts_are_listed_after_online_ones_and_users_who_take_no_calls_never(
    meera: SignedInUser,
) -> None:
    hosts = [signed_in_user(f"host{n}@example.com") for n in range(2)]
    guest = signed_in_user("guest@example.com")
    for n, user in enumerate(hosts):
        give_profile(user, name=f"Host {n}", accepts_calls=True)
    give_profile(guest, name="Guest", accepts_calls=False)
    for n, user in enumerate([meera, *hosts, guest]):
        connect(user, f"CmXkNcQvoAMCIF{n}=")
    mark_busy(meera.user_id, "call-1")
    order = listed()
    assert order[-1] == (meera.user_id, "BUSY")
    assert sorted(order[:-1]) == sorted((user.user_id, "ONLINE") for user in hosts)
    assert presence_of(meera.user_id)[1]["status"] == "BUSY"
    assert presence_of(guest.user_id)[1]["status"] == "ONLINE"


def test_turning_calls_off_takes_effect_at_once_and_on_at_the_next_heartbeat(meera: SignedInUser) -> None:
    connect(meera, TAB_1)
    assert ProfileStore().update(meera.user_id, {"accepts_calls": False})
    assert listed() == []
    assert ProfileStore().update(meera.user_id, {"accepts_calls": True, "call_rate": 2_000})
    assert listed() == [(meera.user_id, "ONLINE")]  # the entry outlived the pause
    disconnect(TAB_1)
    assert ProfileStore().update(meera.user_id, {"accepts_calls": False})
    connect(meera, TAB_2)
    assert listed() == []
    assert ProfileStore().update(meera.user_id, {"accepts_calls": True})
    assert listed() == []
    heartbeat(TAB_2)
    assert listed() == [(meera.user_id, "ONLINE")]
    assert ProfileStore().update(meera.user_id, {"disabled": True})  # by an admin
    assert listed() == []


def test_the_lobby_pages_online_hosts_then_busy_ones(aws: dict[str, str]) -> None:
    hosts = [signed_in_user(f"host{n}@example.com") for n in range(5)]
    for n, user in enumerate(hosts):
        give_profile(user, name=f"Host {n}", accepts_calls=True)
        connect(user, f"CmXkNcQvoAMCIF{n}=")
    for user in hosts[:2]:
        mark_busy(user.user_id, f"call-{user.user_id}")
    pages, seen, cursor = [], [], None
    while True:
        status, body = lobby(limit="2", **({"cursor": cursor} if cursor else {}))
        assert status == 200, body
        pages.append([item["status"] for item in body["items"]])
        seen += [item["user_id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert len(body["items"]) == 2
    assert [status for page in pages for status in page] == ["ONLINE"] * 3 + ["BUSY"] * 2
    assert sorted(seen) == sorted(user.user_id for user in hosts)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "A" * 60])
def test_a_cursor_the_api_did_not_issue_is_400(aws: dict[str, str], cursor: str) -> None:
    status, body = lobby(cursor=cursor)
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


def test_an_id_nobody_has_is_offline_and_an_oversized_one_is_422(aws: dict[str, str]) -> None:
    assert presence_of("nobody") == (200, {"user_id": "nobody", "status": "OFFLINE"})
    assert presence_of("x" * 200)[0] == 422


@pytest.mark.parametrize("route", ["hosts", "presence"])
def test_both_routes_need_a_signed_in_caller(aws: dict[str, str], route: str) -> None:
    if route == "hosts":
        status, body, _ = call(lobby_handler, "http_api_hosts_get", caller=None)
    else:
        status, body = presence_of("nobody", caller=None)
    assert (status, body["error"]["code"]) == (401, "unauthorized")
