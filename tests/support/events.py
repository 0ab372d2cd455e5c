"""Real event shapes from `events/`, adjusted per test (caller, query, body)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from local_runtime.resources import LOCAL_ORIGIN_SECRET
from twtc_core.edge import ORIGIN_SECRET_HEADER

EVENTS = Path(__file__).resolve().parents[2] / "events"


@cache
def _load(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text())


def event(name: str) -> dict[str, Any]:
    return copy.deepcopy(_load(name))


def http_event(
    name: str,
    *,
    caller: str | None,
    query: dict[str, str] | None = None,
    body: Any = None,
    path: str | None = None,
    headers: dict[str, str] | None = None,
    through_cloudfront: bool = True,
    claims: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (v2) event as the JWT authorizer would pass it; `caller=None` drops claims,
    `claims` replaces them (those of a real token, see `tests.support.accounts.claims_of`). CloudFront
    forwarded it (with the origin secret it adds) unless `through_cloudfront=False`."""
    request = event(name)
    if through_cloudfront:
        request["headers"][ORIGIN_SECRET_HEADER] = LOCAL_ORIGIN_SECRET
    if claims is not None:
        request["requestContext"]["authorizer"]["jwt"]["claims"] = claims
    elif caller is None:
        request["requestContext"].pop("authorizer", None)
    else:
        request["requestContext"]["authorizer"]["jwt"]["claims"].update(sub=caller, username=caller)
    if query is not None:
        request["queryStringParameters"] = query
        request["rawQueryString"] = urlencode(query)
    if body is not None:
        request["body"] = json.dumps(body)
    if path is not None:
        request["rawPath"] = request["requestContext"]["http"]["path"] = path
    if headers is not None:
        request["headers"].update(headers)
    return request


def websocket_event(
    name: str, *, connection_id: str, token: str | None = None, body: Any = None
) -> dict[str, Any]:
    """An API Gateway WebSocket event for one connection; `token=None` drops `?token=`, `body` is sent
    as the client's JSON message."""
    request = event(name)
    request["requestContext"]["connectionId"] = connection_id
    if "queryStringParameters" in request:
        request["queryStringParameters"] = {"token": token} if token is not None else None
        request["multiValueQueryStringParameters"] = {"token": [token]} if token is not None else None
    if body is not None:
        request["body"] = body if isinstance(body, str) else json.dumps(body)
    return request


@dataclass(frozen=True)
class FakeLambdaContext:
    function_name: str = "test-function"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    aws_request_id: str = "52fdfc07-2182-154f-163f-5f0f9a621d72"
    remaining_ms: int = 900_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def body_of(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])
