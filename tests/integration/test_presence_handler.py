"""The presence Lambda through its real entry point, with API Gateway WebSocket events; pushes go through
`apigatewaymanagementapi` to moto, which records what each connection was sent."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from botocore.stub import Stubber
from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends

from functions.presence import handler as presence
from tests.support.cognito import SignedInUser, signed_in_user
from tests.support.events import FakeLambdaContext, websocket_event
from twtc_core.connections import ConnectionStore
from twtc_core.push import Pusher

TAB_1, TAB_2, WATCHER = "CmXkNcQvoAMCIFQ=", "CmXkNdRwoAMCJGR=", "CmXkNeSxoAMCKHS="


@pytest.fixture
def alice(aws: dict[str, str]) -> SignedInUser:
    return signed_in_user("alice@example.com")


@pytest.fixture
def bob(aws: dict[str, str]) -> SignedInUser:
    return signed_in_user("bob@example.com")


def invoke(name: str, connection_id: str, **kwargs: Any) -> dict[str, Any]:
    return presence.lambda_handler(
        websocket_event(name, connection_id=connection_id, **kwargs), FakeLambdaContext()
    )


def connect(user: SignedInUser, connection_id: str) -> dict[str, Any]:
    return invoke("websocket_connect", connection_id, token=user.access_token)


def pushed_to(connection_id: str) -> list[dict[str, Any]]:
    """Every message posted to the connection (moto concatenates them)."""
    connections = apigatewaymanagementapi_backends["123456789012"]["us-east-1"].connections
    data = b"".join(
        connections[key].data for key in (connection_id, quote(connection_id, safe="")) if key in connections
    )
    text, decoder, messages = data.decode(), json.JSONDecoder(), []
    while text:
        message, end = decoder.raw_decode(text)
        messages.append(message)
        text = text[end:]
    return messages


def test_connect_with_a_valid_token_opens_a_counted_connection(alice: SignedInUser) -> None:
    assert connect(alice, TAB_1) == {"statusCode": 200}
    store = ConnectionStore()
    assert store.open_connections(alice.user_id) == 1
    assert store.connections_of(alice.user_id) == [TAB_1]
    connection = store.get(TAB_1)
    assert connection is not None and connection.user_id == alice.user_id
    connected_at = datetime.fromisoformat(connection.connected_at.replace("Z", "+00:00"))
    assert connection.expires_at == int(connected_at.timestamp()) + 2 * 60 * 60  # API Gateway's limit


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_connect_without_a_valid_token_is_refused_with_401(aws: dict[str, str], token: str | None) -> None:
    response = invoke("websocket_connect", TAB_1, token=token)
    assert response["statusCode"] == 401
    assert json.loads(response["body"])["error"]["code"] == "unauthorized"
    assert ConnectionStore().get(TAB_1) is None


def test_several_tabs_are_counted_and_each_disconnect_counts_once(alice: SignedInUser) -> None:
    connect(alice, TAB_1)
    connect(alice, TAB_2)
    store = ConnectionStore()
    assert store.open_connections(alice.user_id) == 2
    assert invoke("websocket_disconnect", TAB_1) == {"statusCode": 200}
    assert invoke("websocket_disconnect", TAB_1) == {"statusCode": 200}  # delivered twice: no-op
    assert store.open_connections(alice.user_id) == 1
    assert store.connections_of(alice.user_id) == [TAB_2]


def test_a_subscriber_learns_the_current_status_then_every_change(
    alice: SignedInUser, bob: SignedInUser
) -> None:
    connect(bob, WATCHER)
    response = invoke(
        "websocket_subscribe", WATCHER, body={"action": "subscribe", "user_ids": [alice.user_id]}
    )
    assert response == {"statusCode": 200}
    connect(alice, TAB_1)
    invoke("websocket_disconnect", TAB_1)
    assert [m["status"] for m in pushed_to(WATCHER)] == ["OFFLINE", "ONLINE", "OFFLINE"]
    assert {m["user_id"] for m in pushed_to(WATCHER)} == {alice.user_id}
    assert ConnectionStore().subscribers_of(alice.user_id) == [WATCHER]


def test_disconnecting_drops_the_connections_subscriptions(alice: SignedInUser, bob: SignedInUser) -> None:
    connect(bob, WATCHER)
    invoke("websocket_subscribe", WATCHER, body={"action": "subscribe", "user_ids": [alice.user_id]})
    invoke("websocket_disconnect", WATCHER)
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
    assert pushed_to(WATCHER) == [
        {
            "type": "error",
            "code": "validation_failed",
            "message": json.loads(response["body"])["error"]["message"],
        }
    ]


def test_an_unknown_action_is_400_and_the_client_is_told(bob: SignedInUser) -> None:
    connect(bob, WATCHER)
    event = websocket_event("websocket_subscribe", connection_id=WATCHER, body={"action": "dance"})
    event["requestContext"]["routeKey"] = "$default"
    response = presence.lambda_handler(event, FakeLambdaContext())
    assert response["statusCode"] == 400
    assert pushed_to(WATCHER)[0]["code"] == "unknown_action"


def test_subscribing_on_a_closed_connection_is_404(aws: dict[str, str]) -> None:
    response = invoke("websocket_subscribe", WATCHER, body={"action": "subscribe", "user_ids": ["x"]})
    assert (response["statusCode"], json.loads(response["body"])["error"]["code"]) == (
        404,
        "connection_not_found",
    )


def test_a_gone_connection_is_forgotten_by_the_pusher(alice: SignedInUser) -> None:
    connect(alice, TAB_1)
    connect(alice, TAB_2)
    store = ConnectionStore()
    pusher = Pusher(store)
    with Stubber(pusher._client) as stub:
        stub.add_client_error("post_to_connection", "GoneException", http_status_code=410)
        stub.add_response("post_to_connection", {})
        delivered = pusher.to_user(alice.user_id, {"type": "kyc.updated", "status": "VERIFIED"})
    assert delivered == 1
    assert store.open_connections(alice.user_id) == 1
    assert len(store.connections_of(alice.user_id)) == 1
