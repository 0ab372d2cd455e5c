"""How the local gateway turns requests into API Gateway events and function results into responses."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from local_runtime.events import http_api_event, scheduled_event, sqs_event
from local_runtime.http_api import HttpApi, Route, to_response
from local_runtime.lambdas import LocalFunction


def noop(event: dict[str, Any], context: Any) -> None:
    return None


FUNCTION = LocalFunction("test", noop)


def api(*paths: str) -> HttpApi:
    return HttpApi([Route.of("GET", path, True, FUNCTION) for path in paths], authorizer=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "route", "parameters"),
    [
        ("/v1/users/me/presence", "GET /v1/users/me/presence", {}),
        ("/v1/users/42/presence", "GET /v1/users/{id}/presence", {"id": "42"}),
        ("/v1/files/a/b/c", "GET /v1/files/{proxy+}", {"proxy": "a/b/c"}),
    ],
)
def test_literal_routes_win_over_variables_and_greedy_ones_come_last(
    path: str, route: str, parameters: dict[str, str]
) -> None:
    gateway = api("/v1/files/{proxy+}", "/v1/users/{id}/presence", "/v1/users/me/presence")
    matched = gateway.match("GET", path)
    assert matched is not None
    assert (matched[0].key, matched[1]) == (route, parameters)


def test_an_unknown_path_or_method_matches_nothing() -> None:
    gateway = api("/v1/wallet")
    assert gateway.match("GET", "/v1/wallet/x") is None
    assert gateway.match("POST", "/v1/wallet") is None


def http_event(**overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": "POST",
        "path": "/v1/things/7",
        "route_key": "POST /v1/things/{id}",
        "raw_query": "a=1&a=2&b=",
        "headers": [
            ("Content-Type", "application/json"),
            ("CloudFront-Viewer-Address", "198.51.100.7:443"),
            ("Cookie", "x=1; y=2"),
        ],
        "body": b'{"ok": true}',
        "source_ip": "127.0.0.1",
        "path_parameters": {"id": "7"},
        "claims": {"sub": "user-1"},
    }
    request.update(overrides)
    return http_api_event(**request)


def test_the_http_event_has_api_gateways_payload_2_shape() -> None:
    event = http_event()
    assert (event["version"], event["routeKey"], event["rawPath"]) == (
        "2.0",
        "POST /v1/things/{id}",
        "/v1/things/7",
    )
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["headers"]["cloudfront-viewer-address"] == "198.51.100.7:443"  # passed through untouched
    assert "cookie" not in event["headers"] and event["cookies"] == ["x=1", "y=2"]
    assert (event["body"], event["isBase64Encoded"]) == ('{"ok": true}', False)
    assert event["pathParameters"] == {"id": "7"}
    assert event["requestContext"]["http"]["sourceIp"] == "127.0.0.1"
    assert event["requestContext"]["authorizer"]["jwt"]["claims"] == {"sub": "user-1"}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"From=%2B1555"),
        ("image/png", b"\x89PNG"),
        ("application/json", b"\xff"),
    ],
)
def test_bodies_api_gateway_does_not_treat_as_text_are_base64(content_type: str, body: bytes) -> None:
    event = http_event(headers=[("Content-Type", content_type)], body=body)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_a_public_route_without_query_or_parameters_omits_those_keys() -> None:
    event = http_event(raw_query="", path_parameters={}, claims=None, body=b"")
    assert not {"queryStringParameters", "pathParameters", "body"} & set(event)
    assert "authorizer" not in event["requestContext"]


def test_a_full_response_keeps_status_headers_and_cookies() -> None:
    response = to_response(
        {"statusCode": 429, "headers": {"Retry-After": "30"}, "cookies": ["a=b"], "body": '{"error": {}}'}
    )
    assert (response.status_code, response.headers["retry-after"], response.headers["set-cookie"]) == (
        429,
        "30",
        "a=b",
    )


def test_a_bare_result_is_a_json_200() -> None:
    response = to_response({"hello": "world"})
    assert (response.status_code, json.loads(response.body)) == (200, {"hello": "world"})


def test_a_base64_response_body_is_decoded() -> None:
    response = to_response(
        {"statusCode": 200, "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True}
    )
    assert response.body == b"\x00\x01"


def test_the_sqs_event_is_a_lambda_event_source_batch() -> None:
    message = {
        "MessageId": "m1",
        "ReceiptHandle": "r1",
        "Body": "{}",
        "Attributes": {"ApproximateReceiveCount": "1"},
    }
    record = sqs_event([message], "arn:aws:sqs:us-east-1:123456789012:twtc-q")["Records"][0]
    assert (record["messageId"], record["eventSource"], record["eventSourceARN"]) == (
        "m1",
        "aws:sqs",
        "arn:aws:sqs:us-east-1:123456789012:twtc-q",
    )
    assert record["attributes"]["ApproximateReceiveCount"] == "1"


def test_the_scheduled_event_carries_the_scheduled_time() -> None:
    event = scheduled_event("billing-tick", datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    assert (event["detail-type"], event["source"], event["time"]) == (
        "Scheduled Event",
        "aws.events",
        "2026-11-25T09:00:00Z",
    )
    assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/billing-tick"]
