"""The HTTP edge every function shares (twtc_core.api): malformed bodies and who the client is."""

from __future__ import annotations

from typing import Any

from functions.auth.handler import lambda_handler as auth_handler
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.events import FakeLambdaContext, body_of, http_event


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


def test_viewer_headers_without_the_origin_secret_do_not_change_the_client_ip(cognito: Outbox) -> None:
    # Given a client calling API Gateway directly, claiming a new CloudFront viewer address each time
    def sign_up(n: int) -> int:
        spoofed = {"cloudfront-viewer-address": f"192.0.2.{n}:443"}
        request = http_event(
            "http_api_auth_signup", caller=None, body=signup_body(f"spoof{n}@example.com"), headers=spoofed
        )
        return int(auth_handler(request, FakeLambdaContext())["statusCode"])

    # When it signs up four times
    statuses = [sign_up(n) for n in range(4)]
    # Then all four count against the one address API Gateway saw: the fourth is refused
    assert statuses == [201, 201, 201, 429]


def test_viewer_headers_with_the_origin_secret_are_the_client_ip(cognito: Outbox) -> None:
    # Given requests CloudFront forwarded for four different viewers
    statuses = [accounts.sign_up(f"viewer{n}@example.com", ip=f"192.0.2.{n}")[0] for n in range(4)]
    # Then each viewer has its own sign-up quota
    assert statuses == [201, 201, 201, 201]
