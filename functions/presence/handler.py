"""Presence WebSocket handler: parse the route's event, call one logic function, shape the reply.

`$connect` answers 401 to refuse a connection; message routes report errors to the client as an
`{"type": "error"}` message, since API Gateway does not return a one-way route's response.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayWebSocketDisconnectEventModel,
    APIGatewayWebSocketMessageEventModel,
)
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from functions.presence import logic
from functions.presence.models import ConnectEvent
from functions.presence.settings import PresenceSettings
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.api import status_for
from twtc_core.clock import utc_now
from twtc_core.cognito import UserPool
from twtc_core.connections import ConnectionStore
from twtc_core.errors import DomainError, Invalid
from twtc_core.observability import logger
from twtc_core.push import Pusher
from twtc_core.push_messages import SubscribeMessage

settings = PresenceSettings()
connections = ConnectionStore()
pool = UserPool(settings.user_pool_id, settings.user_pool_client_id, settings.aws_region)
presence = logic.Presence(
    pool,
    connections,
    ProfileStore(),
    Pusher(connections),
    liveness=timedelta(seconds=settings.presence_liveness_seconds),
)


def on_connect(event: dict[str, Any]) -> None:
    request = parse(event, model=ConnectEvent)
    presence.connect(request.request_context.connection_id, request.token, utc_now())


def on_disconnect(event: dict[str, Any]) -> None:
    request = parse(event, model=APIGatewayWebSocketDisconnectEventModel)
    presence.disconnect(request.request_context.connection_id, utc_now())


def on_subscribe(event: dict[str, Any]) -> None:
    request = parse(event, model=APIGatewayWebSocketMessageEventModel)
    try:
        message = SubscribeMessage.model_validate_json(str(request.body or ""))
    except ValidationError as error:
        raise Invalid("A subscribe message is {action: 'subscribe', user_ids: [1..50 ids]}.") from error
    presence.subscribe(request.request_context.connection_id, message.user_ids, utc_now())


def on_heartbeat(event: dict[str, Any]) -> None:
    # API Gateway chose this route because the body's action is "heartbeat"; the body carries nothing else.
    request = parse(event, model=APIGatewayWebSocketMessageEventModel)
    presence.heartbeat(request.request_context.connection_id, utc_now())


def on_default(event: dict[str, Any]) -> None:
    try:
        action = json.loads(event.get("body") or "{}").get("action")
    except (ValueError, AttributeError):
        action = None
    logic.reject_unknown_action(action)


ROUTES = {
    "$connect": on_connect,
    "$disconnect": on_disconnect,
    "subscribe": on_subscribe,
    "heartbeat": on_heartbeat,
}


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    context_ = event["requestContext"]
    try:
        ROUTES.get(context_["routeKey"], on_default)(event)
    except DomainError as error:
        if context_["eventType"] == "MESSAGE":
            presence.tell_error(context_["connectionId"], error)
        body = {"error": {"code": error.code, "message": error.message, "details": error.details}}
        return {"statusCode": int(status_for(error)), "body": json.dumps(body)}
    return {"statusCode": 200}
