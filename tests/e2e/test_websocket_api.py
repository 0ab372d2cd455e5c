"""The WebSocket API: authenticated connections and messages the functions post through /@connections."""

from __future__ import annotations

import json

import boto3
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.e2e.conftest import Runtime
from tests.support.cognito import signed_in_user

RECEIVE_TIMEOUT_SECONDS = 10


def test_a_client_with_a_token_connects_and_receives_what_a_function_posts(runtime: Runtime) -> None:
    user = signed_in_user("ws-alice@example.com", endpoint_url=runtime.aws_endpoint)
    with connect(f"{runtime.ws_url}?token={user.access_token}") as socket:
        socket.send(json.dumps({"action": "subscribe", "user_ids": [user.user_id]}))
        message = json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))
    assert message == {"type": "presence", "user_id": user.user_id, "status": "ONLINE"}


def test_a_subscriber_sees_another_user_come_online(runtime: Runtime) -> None:
    watcher = signed_in_user("ws-watcher@example.com", endpoint_url=runtime.aws_endpoint)
    host = signed_in_user("ws-host@example.com", endpoint_url=runtime.aws_endpoint)
    with connect(f"{runtime.ws_url}?token={watcher.access_token}") as socket:
        socket.send(json.dumps({"action": "subscribe", "user_ids": [host.user_id]}))
        assert json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))["status"] == "OFFLINE"
        with connect(f"{runtime.ws_url}?token={host.access_token}"):
            assert json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))["status"] == "ONLINE"
        assert json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))["status"] == "OFFLINE"


@pytest.mark.parametrize("query", ["", "?token=not-a-token"])
def test_a_client_without_a_valid_token_is_refused(runtime: Runtime, query: str) -> None:
    with pytest.raises(InvalidStatus) as refused, connect(f"{runtime.ws_url}{query}"):
        pass
    assert refused.value.response.status_code == 401


def test_an_unknown_action_is_answered_with_an_error_message(runtime: Runtime) -> None:
    user = signed_in_user("ws-dancer@example.com", endpoint_url=runtime.aws_endpoint)
    with connect(f"{runtime.ws_url}?token={user.access_token}") as socket:
        socket.send(json.dumps({"action": "dance"}))
        assert json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))["code"] == "unknown_action"


def test_posting_to_a_gone_connection_is_410_gone_for_boto3(runtime: Runtime) -> None:
    management = boto3.client("apigatewaymanagementapi", endpoint_url=runtime.url, region_name="us-east-1")
    with pytest.raises(management.exceptions.GoneException):
        management.post_to_connection(ConnectionId="bm8tc3VjaA==", Data=b"{}")
