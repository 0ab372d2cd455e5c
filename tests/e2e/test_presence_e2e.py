"""Presence and the lobby as clients see them, over WebSocket and HTTP against the local runtime: a host
with two sockets stays listed until both close; a socket that stops sending heartbeats stops counting when
the local clock passes its window, without any `$disconnect`; subscribers are pushed every change."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.e2e.conftest import Runtime, registered_user

RECEIVE_TIMEOUT_SECONDS = 10
LIVENESS_SECONDS = 600  # PRESENCE_LIVENESS_SECONDS


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def received(socket: ClientConnection) -> dict[str, Any]:
    return dict(json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS)))


def listed(api: httpx.Client, token: str, host_id: str) -> list[str]:
    """The host's status in the lobby, if listed (other tests' hosts may share the runtime's lobby)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = api.get(
            "/v1/hosts",
            params={"limit": 100, **({"cursor": cursor} if cursor else {})},
            headers=bearer(token),
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return [item["status"] for item in items if item["user_id"] == host_id]


def presence(api: httpx.Client, token: str, user_id: str) -> str:
    response = api.get(f"/v1/users/{user_id}/presence", headers=bearer(token))
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def heartbeat_then_sync(socket: ClientConnection, user_id: str) -> None:
    """Send a heartbeat; a subscribe after it is answered only once the heartbeat was handled (one
    connection's messages run in order)."""
    socket.send(json.dumps({"action": "heartbeat"}))
    socket.send(json.dumps({"action": "subscribe", "user_ids": [user_id]}))
    assert received(socket)["type"] == "presence"


def test_a_host_is_listed_while_any_socket_lives_and_subscribers_see_each_change(
    runtime: Runtime, api: httpx.Client
) -> None:
    host_token = registered_user(api, "lobby-host@example.com")
    watcher_token = registered_user(api, "lobby-watcher@example.com")
    host_id = api.get("/v1/me", headers=bearer(host_token)).json()["id"]
    patched = api.patch(
        "/v1/me", json={"accepts_calls": True, "call_rate": 1_200}, headers=bearer(host_token)
    )
    assert patched.status_code == 200, patched.text
    host_url = f"{runtime.ws_url}?token={host_token}"

    with connect(f"{runtime.ws_url}?token={watcher_token}") as watcher:
        watcher.send(json.dumps({"action": "subscribe", "user_ids": [host_id]}))
        assert received(watcher) == {"type": "presence", "user_id": host_id, "status": "OFFLINE"}
        assert listed(api, watcher_token, host_id) == []

        # Two tabs: closing one keeps the host ONLINE and listed; closing both takes them out.
        with connect(host_url):
            assert received(watcher)["status"] == "ONLINE"
            with connect(host_url):
                assert received(watcher)["status"] == "ONLINE"
                assert listed(api, watcher_token, host_id) == ["ONLINE"]
            assert listed(api, watcher_token, host_id) == ["ONLINE"]
            assert presence(api, watcher_token, host_id) == "ONLINE"
        assert received(watcher)["status"] == "OFFLINE"
        assert listed(api, watcher_token, host_id) == []
        assert presence(api, watcher_token, host_id) == "OFFLINE"

        # A socket whose heartbeats stop counts no more once its window passes, though nobody closed it.
        with connect(host_url) as host:
            assert received(watcher)["status"] == "ONLINE"
            heartbeat_then_sync(host, host_id)
            moved = api.post("/_local/clock", json={"advance_seconds": LIVENESS_SECONDS + 1})
            assert moved.status_code == 200
            assert presence(api, watcher_token, host_id) == "OFFLINE"
            assert listed(api, watcher_token, host_id) == []
            heartbeat_then_sync(host, host_id)  # it was alive after all: listed again, watchers told
            assert received(watcher)["status"] == "ONLINE"
            assert listed(api, watcher_token, host_id) == ["ONLINE"]
        assert received(watcher)["status"] == "OFFLINE"

    assert api.get("/v1/hosts").status_code == 401
    assert api.get(f"/v1/users/{host_id}/presence").status_code == 401
