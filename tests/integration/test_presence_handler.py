"""The presence Lambda through its real entry point, with API Gateway WebSocket events; pushes go through
`apigatewaymanagementapi` to moto, which records what each connection was sent. Presence is derived from
live connection items, so the clock alone (no `$disconnect`) can make a user OFFLINE."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from functions.presence import handler as presence
from tests.support.cognito import SignedInUser, signed_in_user
from tests.support.events import FakeLambdaContext, websocket_event
from tests.support.presence import (
    connect,
    disconnect,
    give_profile,
    heartbeat,
    invoke,
    mark_busy,
    pushed_to,
    subscribe,
)
from twtc_core.clock import Clock, utc_now
from twtc_core.connections import ConnectionStore
from twtc_core.push import Pusher

TAB_1, TAB_2, WATCHER = "CmXkNcQvoAMCIFQ=", "CmXkNdRwoAMCJGR=", "CmXkNeSxoAMCKHS="
LIVENESS = 600  # PRESENCE_LIVENESS_SECONDS


@pytest.fixture
def alice(aws: dict[str, str]) -> SignedInUser:
    return signed_in_user("alice@example.com")


@pytest.fixture
def bob(aws: dict[str, str]) -> SignedInUser:
    return signed_in_user("bob@example.com")


def status_of(user: SignedInUser) -> str:
    return ConnectionStore().status_of(user.user_id, utc_now())


def statuses_pushed_to(connection_id: str) -> list[str]:
    return [message["status"] for message in pushed_to(connection_id) if message["type"] == "presence"]


def test_connect_with_a_valid_token_opens_a_live_connection(alice: SignedInUser) -> None:
    assert connect(alice, TAB_1) == {"statusCode": 200}
    store = ConnectionStore()
    assert store.is_connected(alice.user_id, utc_now())
    assert store.connections_of(alice.user_id) == [TAB_1]
    connection = store.get(TAB_1)
    assert connection is not None and connection.user_id == alice.user_id
    now = int(utc_now().timestamp())
    assert (connection.live_until, connection.expires_at) == (now + LIVENESS, now + 2 * 60 * 60)


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_connect_without_a_valid_token_is_refused_with_401(aws: dict[str, str], token: str | None) -> None:
    response = invoke("websocket_connect", TAB_1, token=token)
    assert response["statusCode"] == 401
    assert json.loads(response["body"])["error"]["code"] == "unauthorized"
    assert ConnectionStore().get(TAB_1) is None


def test_closing_one_of_two_tabs_keeps_the_user_online_and_closing_both_makes_them_offline(
    alice: SignedInUser,
) -> None:
    connect(alice, TAB_1)
    connect(alice, TAB_2)
    assert disconnect(TAB_1) == {"statusCode": 200}
    assert disconnect(TAB_1) == {"statusCode": 200}  # delivered twice: no-op
    assert status_of(alice) == "ONLINE"
    assert ConnectionStore().connections_of(alice.user_id) == [TAB_2]
    disconnect(TAB_2)
    assert status_of(alice) == "OFFLINE"
    assert not ConnectionStore().is_connected(alice.user_id, utc_now())


def test_a_connection_whose_heartbeats_stopped_goes_offline_without_any_disconnect(
    alice: SignedInUser, bob: SignedInUser, clock: Clock
) -> None:
    connect(bob, WATCHER)
    connect(alice, TAB_1)
    clock.advance(LIVENESS - 1)
    assert status_of(alice) == "ONLINE"
    clock.advance(1)
    assert status_of(alice) == "OFFLINE"
    assert not ConnectionStore().is_connected(alice.user_id, utc_now())
    # The socket was alive after all: its next heartbeat revives it and the watchers hear so.
    subscribe(WATCHER, [alice.user_id])
    assert heartbeat(TAB_1) == {"statusCode": 200}
    assert status_of(alice) == "ONLINE"
    assert statuses_pushed_to(WATCHER) == ["OFFLINE", "ONLINE"]


def test_heartbeats_keep_a_connection_live_until_api_gateways_two_hour_limit(
    alice: SignedInUser, clock: Clock
) -> None:
    connect(alice, TAB_1)
    for _ in range(23):  # every 5 minutes: 1 h 55 min
        clock.advance(300)
        heartbeat(TAB_1)
        assert status_of(alice) == "ONLINE"
    clock.advance(300 - 1)
    assert status_of(alice) == "ONLINE"
    clock.advance(1)  # 2 hours: API Gateway has closed the socket, whether or not $disconnect came
    assert status_of(alice) == "OFFLINE"


def test_a_heartbeat_on_a_closed_connection_is_404_and_revives_nothing(alice: SignedInUser) -> None:
    connect(alice, TAB_1)
    disconnect(TAB_1)
    response = heartbeat(TAB_1)
    assert (response["statusCode"], json.loads(response["body"])["error"]["code"]) == (
        404,
        "connection_not_found",
    )
    assert status_of(alice) == "OFFLINE"


def test_a_user_with_a_busy_marker_is_busy_whatever_their_connections(alice: SignedInUser) -> None:
    connect(alice, TAB_1)
    mark_busy(alice.user_id, "call-1")
    assert status_of(alice) == "BUSY"
    disconnect(TAB_1)
    assert status_of(alice) == "BUSY"


def test_a_subscriber_learns_the_current_status_then_every_change(
    alice: SignedInUser, bob: SignedInUser
) -> None:
    connect(bob, WATCHER)
    assert subscribe(WATCHER, [alice.user_id]) == {"statusCode": 200}
    connect(alice, TAB_1)
    connect(alice, TAB_2)
    disconnect(TAB_1)  # still ONLINE through the other tab: nothing to announce
    disconnect(TAB_2)
    assert statuses_pushed_to(WATCHER) == ["OFFLINE", "ONLINE", "ONLINE", "OFFLINE"]
    assert {m["user_id"] for m in pushed_to(WATCHER)} == {alice.user_id}
    assert ConnectionStore().subscribers_of(alice.user_id) == [WATCHER]


def test_disconnecting_drops_the_connections_subscriptions(alice: SignedInUser, bob: SignedInUser) -> None:
    connect(bob, WATCHER)
    subscribe(WATCHER, [alice.user_id])
    disconnect(WATCHER)
    assert ConnectionStore().subscribers_of(alice.user_id) == []


@pytest.mark.parametrize(
    "body",
    [
        {"action": "subscribe", "user_ids": []},
        {"action": "subscribe", "user_ids": [f"u{i}" for i in range(51)]},
        "{",
    ],
)
def test_a_malformed_subscribe_is_422_and_the_client_is_told(bob: SignedInUser, body: Any) -> None:
    connect(bob, WATCHER)
    response = invoke("websocket_subscribe", WATCHER, body=body)
    assert response["statusCode"] == 422
    assert pushed_to(WATCHER)[-1] == {
        "type": "error",
        "code": "validation_failed",
        "message": json.loads(response["body"])["error"]["message"],
    }


def test_an_unknown_action_is_400_and_the_client_is_told(bob: SignedInUser) -> None:
    connect(bob, WATCHER)
    event = websocket_event("websocket_subscribe", connection_id=WATCHER, body={"action": "dance"})
    event["requestContext"]["routeKey"] = "$default"
    response = presence.lambda_handler(event, FakeLambdaContext())
    assert response["statusCode"] == 400
    assert pushed_to(WATCHER)[-1]["code"] == "unknown_action"


def test_subscribing_on_a_closed_connection_is_404(aws: dict[str, str]) -> None:
    response = subscribe(WATCHER, ["x"])
    assert (response["statusCode"], json.loads(response["body"])["error"]["code"]) == (
        404,
        "connection_not_found",
    )


def test_a_gone_connection_is_forgotten_and_its_users_last_one_announced(
    alice: SignedInUser, bob: SignedInUser
) -> None:
    give_profile(alice, name="Alice", accepts_calls=True)
    connect(bob, WATCHER)
    subscribe(WATCHER, [alice.user_id])
    connect(alice, TAB_1)
    connect(alice, TAB_2)
    store = ConnectionStore()
    pusher = Pusher(store)
    with Stubber(pusher._client) as stub:
        stub.add_client_error("post_to_connection", "GoneException", http_status_code=410)
        stub.add_response("post_to_connection", {})
        assert pusher.to_user(alice.user_id, {"type": "kyc.updated", "status": "VERIFIED"}) == 1
    assert len(store.connections_of(alice.user_id)) == 1
    assert status_of(alice) == "ONLINE"  # the other tab still answers
    (last,) = store.connections_of(alice.user_id)
    with Stubber(pusher._client) as stub:
        stub.add_client_error("post_to_connection", "GoneException", http_status_code=410)
        offline = {"type": "presence", "user_id": alice.user_id, "status": "OFFLINE"}
        stub.add_response(
            "post_to_connection",
            {},
            {"ConnectionId": WATCHER, "Data": json.dumps(offline, separators=(",", ":")).encode()},
        )
        assert pusher.to_connections([last], {"type": "kyc.updated", "status": "VERIFIED"}) == 0
    assert store.get(last) is None
    assert status_of(alice) == "OFFLINE"
    assert store.lobby_chunk(utc_now(), None, 10).host_ids == []
