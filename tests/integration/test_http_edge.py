"""The HTTP edge every function shares (twtc_core.api, twtc_core.edge): malformed bodies, requests that
skipped CloudFront, and who the client is."""

from __future__ import annotations

from typing import Any

import pytest

from functions.auth.handler import lambda_handler as auth_handler
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.events import FakeLambdaContext, body_of, http_event
from twtc_core.edge import ORIGIN_SECRET_HEADER


def signup_body(email: str) -> dict[str, Any]:
    return {
        "email": email,
        "password": accounts.PASSWORD,
        "name": "Edge",
        "device_id": accounts.default_device(email),
    }


def test_a_body_that_is_not_json_is_400_and_writes_nothing(cognito: Outbox) -> None:
    # Given a sign-up whose body is broken JSON
    request = http_event("http_api_auth_signup", caller=None)
    request["body"] = '{"email": "broken@example.com", "password": '
    before = accounts.footprint()
    # When it reaches the handler
    response = auth_handler(request, FakeLambdaContext())
    # Then it is the client's malformed request, and nothing was written
    assert response["statusCode"] == 400
    assert body_of(response)["error"]["code"] == "malformed_request"
    assert accounts.footprint() == before


def test_a_request_that_skipped_cloudfront_is_refused_and_writes_nothing(cognito: Outbox) -> None:
    # Given a client calling API Gateway directly, claiming a CloudFront viewer address
    request = http_event(
        "http_api_auth_signup",
        caller=None,
        body=signup_body("direct@example.com"),
        headers={"cloudfront-viewer-address": "192.0.2.1:443", ORIGIN_SECRET_HEADER: "guessed"},
        through_cloudfront=False,
    )
    before = accounts.footprint()
    # When it reaches the handler
    response = auth_handler(request, FakeLambdaContext())
    # Then it is refused with the spec's error body, and nothing was written
    assert response["statusCode"] == 403
    assert body_of(response)["error"]["code"] == "not_through_cloudfront"
    assert accounts.footprint() == before


@pytest.mark.parametrize("viewer_address", ["not-an-ip", "192.0.2.1, 192.0.2.2", "192.0.2.1:http", ""])
def test_a_viewer_address_that_is_not_one_ip_is_ignored(cognito: Outbox, viewer_address: str) -> None:
    # Given CloudFront forwarding sign-ups whose viewer address is not one IP address
    def sign_up(n: int) -> int:
        headers = {"cloudfront-viewer-address": viewer_address}
        request = http_event(
            "http_api_auth_signup", caller=None, body=signup_body(f"odd{n}@example.com"), headers=headers
        )
        return int(auth_handler(request, FakeLambdaContext())["statusCode"])

    # When one client signs up four times
    statuses = [sign_up(n) for n in range(4)]
    # Then all four count against the address API Gateway saw (3 an hour per IP): the fourth is refused
    assert statuses == [201, 201, 201, 429]


def test_ipv6_viewers_in_one_64_network_share_the_per_ip_sign_up_quota(cognito: Outbox) -> None:
    # Given four IPv6 viewers in one /64 (one subscriber's network) and one in another /64
    same_network = [f"2001:db8:7:1::{n}" for n in range(1, 5)]
    # When each signs up once
    statuses = [accounts.sign_up(f"six{n}@example.com", ip=ip)[0] for n, ip in enumerate(same_network)]
    other = accounts.sign_up("other@example.com", ip="2001:db8:7:2::1")[0]
    # Then the /64 is one client (3 an hour), the other /64 another
    assert (statuses, other) == ([201, 201, 201, 429], 201)


def test_viewer_headers_with_the_origin_secret_are_the_client_ip(cognito: Outbox) -> None:
    # Given requests CloudFront forwarded for four different viewers
    statuses = [accounts.sign_up(f"viewer{n}@example.com", ip=f"192.0.2.{n}")[0] for n in range(4)]
    # Then each viewer has its own sign-up quota
    assert statuses == [201, 201, 201, 201]
