"""The events AWS would deliver, in their real shapes: API Gateway HTTP API (payload 2.0) and WebSocket
API requests, SQS batches, EventBridge scheduled events. The local runtime builds them; the handlers
cannot tell the difference."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import datetime
from typing import Any, Literal
from urllib.parse import parse_qsl

from twtc_core.clock import utc_now

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
API_ID = "local"
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


def _request_time(moment: datetime) -> str:
    return moment.strftime("%d/%b/%Y:%H:%M:%S +0000")


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _text_body(content_type: str, body: bytes) -> str | None:
    """The body as text, or None when API Gateway would base64-encode it: every media type it does not
    consider text (forms included), and bytes that are not UTF-8."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not (media_type.startswith(TEXT_TYPES) or media_type.endswith("+json")):
        return None
    try:
        return body.decode()
    except UnicodeDecodeError:
        return None


def _joined(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Repeated names are joined with commas, as API Gateway does for headers and query strings."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def http_api_event(
    *,
    method: str,
    path: str,
    route_key: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    source_ip: str,
    path_parameters: dict[str, str],
    claims: dict[str, str] | None,
) -> dict[str, Any]:
    now = utc_now()
    lowered = [(name.lower(), value) for name, value in headers]
    cookies = [c.strip() for name, value in lowered if name == "cookie" for c in value.split(";")]
    header_map = _joined([(name, value) for name, value in lowered if name != "cookie"])
    text = _text_body(header_map.get("content-type", "application/json"), body)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": header_map,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": header_map.get("host", "127.0.0.1"),
            "domainPrefix": header_map.get("host", "127.0.0.1").split(".", 1)[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": header_map.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex[:16],
            "routeKey": route_key,
            "stage": "$default",
            "time": _request_time(now),
            "timeEpoch": _epoch_ms(now),
        },
        "isBase64Encoded": bool(body) and text is None,
    }
    if cookies:
        event["cookies"] = cookies
    if raw_query:
        event["queryStringParameters"] = _joined(parse_qsl(raw_query, keep_blank_values=True))
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body:
        event["body"] = text if text is not None else base64.b64encode(body).decode()
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event


WebSocketEventType = Literal["CONNECT", "MESSAGE", "DISCONNECT"]


def websocket_event(
    *,
    event_type: WebSocketEventType,
    route_key: str,
    connection_id: str,
    connected_at: datetime,
    source_ip: str,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    now = utc_now()
    context: dict[str, Any] = {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": uuid.uuid4().hex[:16],
        "requestTime": _request_time(now),
        "messageDirection": "IN",
        "stage": "local",
        "connectedAt": _epoch_ms(connected_at),
        "requestTimeEpoch": _epoch_ms(now),
        "identity": {"sourceIp": source_ip, "userAgent": (headers or {}).get("user-agent")},
        "requestId": uuid.uuid4().hex[:16],
        "domainName": "127.0.0.1",
        "connectionId": connection_id,
        "apiId": API_ID,
    }
    event: dict[str, Any] = {"requestContext": context, "isBase64Encoded": False}
    if event_type == "MESSAGE":
        context["messageId"] = uuid.uuid4().hex[:16]
        event["body"] = body
        return event
    event["headers"] = headers or {}
    event["multiValueHeaders"] = {name: [value] for name, value in (headers or {}).items()}
    if event_type == "CONNECT" and query:
        event["queryStringParameters"] = query
        event["multiValueQueryStringParameters"] = {name: [value] for name, value in query.items()}
    if event_type == "DISCONNECT":
        context["disconnectStatusCode"] = 1000
        context["disconnectReason"] = "Client closed the connection"
    return event


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """A Lambda event source mapping's batch, from `ReceiveMessage` results."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "binaryValue": value.get("BinaryValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in message.get("MessageAttributes", {}).items()
                },
                "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for message in messages
        ]
    }


def scheduled_event(rule_name: str, at: datetime) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule_name}"],
        "detail": {},
    }
