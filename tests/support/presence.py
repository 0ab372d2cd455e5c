"""Presence through the presence Lambda's real entry point: connections, heartbeats, what each connection
was pushed (moto's management API records it), hosts' profiles and the calls code's BUSY marker."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import boto3
from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends

from functions.presence import handler as presence
from tests.support.cognito import SignedInUser
from tests.support.events import FakeLambdaContext, websocket_event
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import iso, utc_now
from twtc_core.connections import ConnectionStore
from twtc_core.dynamo import Transaction


def invoke(name: str, connection_id: str, **kwargs: Any) -> dict[str, Any]:
    return presence.lambda_handler(
        websocket_event(name, connection_id=connection_id, **kwargs), FakeLambdaContext()
    )


def connect(user: SignedInUser, connection_id: str) -> dict[str, Any]:
    return invoke("websocket_connect", connection_id, token=user.access_token)


def disconnect(connection_id: str) -> dict[str, Any]:
    return invoke("websocket_disconnect", connection_id)


def heartbeat(connection_id: str) -> dict[str, Any]:
    return invoke("websocket_heartbeat", connection_id)


def subscribe(connection_id: str, user_ids: list[str]) -> dict[str, Any]:
    return invoke("websocket_subscribe", connection_id, body={"action": "subscribe", "user_ids": user_ids})


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


def give_profile(user: SignedInUser, *, name: str, accepts_calls: bool, call_rate: int = 1_000) -> None:
    """The profile provisioning would have opened, as a host (accepts_calls) or not."""
    writes = Transaction()
    ProfileStore().create_with(
        writes,
        user.user_id,
        name=name,
        email=user.email,
        phone=None,
        call_rate=call_rate,
        referred_with_code=None,
        signup_device_id=None,
        signup_ip=None,
        email_identity=None,
        created_at=iso(utc_now()),
    )
    assert not writes.commit()
    assert ProfileStore().update(user.user_id, {"accepts_calls": accepts_calls})


def mark_busy(user_id: str, call_id: str) -> None:
    """The BUSY marker the calls code writes (connections table, `USER#<user>` / `BUSY`)."""
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName=os.environ["CONNECTIONS_TABLE_NAME"],
        Item={
            "pk": {"S": f"USER#{user_id}"},
            "sk": {"S": "BUSY"},
            "call_id": {"S": call_id},
            "since": {"S": iso(utc_now())},
        },
    )


def open_tab(connection_id: str, user_id: str) -> None:
    """A live connection of the user's, as `$connect` leaves it (live for the heartbeat window)."""
    now = utc_now()
    ConnectionStore().open(connection_id, user_id, now, now + timedelta(minutes=10), now + timedelta(hours=2))
