"""The edge, locally (spec §9): the WAF's 100 requests a minute per viewer IP, the client-IP rule the
runtime applies like API Gateway and CloudFront (socket peer; X-Forwarded-For means nothing), and API
Gateway's 10 MB body limit."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from infra_cdk.wiring import EDGE
from tests.e2e.conftest import Runtime, viewer_address


def start_a_new_window(api: httpx.Client) -> None:
    """Move the local clock to the start of the next limit window (clock travel is time passing)."""
    now = datetime.fromisoformat(api.get("/_local/clock").json()["now"]).timestamp()
    to_next = math.ceil(now / EDGE.window_seconds) * EDGE.window_seconds - now
    assert api.post("/_local/clock", json={"advance_seconds": to_next}).status_code == 200


@pytest.fixture
def direct(runtime: Runtime) -> Iterator[httpx.Client]:
    """A client with no viewer header: the runtime sees it as its socket address, 127.0.0.1. Whatever
    it used up of that address's limit is over when it is done: the clock moves on to a new window."""
    with httpx.Client(base_url=runtime.url, timeout=30) as client:
        yield client
    with runtime.client() as api:
        start_a_new_window(api)


def test_the_101st_request_in_a_minute_from_one_viewer_is_429_until_the_next_minute(
    api: httpx.Client,
) -> None:
    # Given a new window and one viewer address
    start_a_new_window(api)
    viewer = {"CloudFront-Viewer-Address": viewer_address()}
    # When it sends 101 requests within the minute
    statuses = [api.get("/v1/wallet", headers=viewer).status_code for _ in range(EDGE.requests_per_ip + 1)]
    refused = api.get("/v1/wallet", headers=viewer)
    # Then the first 100 reach the API (401: no token) and the rest are refused with the spec body
    assert statuses == [401] * EDGE.requests_per_ip + [429]
    assert refused.status_code == 429
    assert refused.json() == {
        "error": {
            "code": "rate_limited",
            "message": "Too many requests from this address; try again later.",
            "details": {"limit": 100, "window_seconds": 60},
        }
    }
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= EDGE.window_seconds
    # And another viewer, and the local controls, are still served
    assert api.get("/v1/wallet", headers={"CloudFront-Viewer-Address": viewer_address()}).status_code == 401
    assert api.get("/_local/outbox", headers=viewer).status_code == 200
    # When the clock reaches the next minute
    assert api.post("/_local/clock", json={"advance_seconds": retry_after}).status_code == 200
    # Then the viewer is served again
    assert api.get("/v1/wallet", headers=viewer).status_code == 401


def test_x_forwarded_for_does_not_make_a_client_many_clients(api: httpx.Client, direct: httpx.Client) -> None:
    # Given a new window and a client without a viewer address claiming a new X-Forwarded-For each time
    start_a_new_window(api)

    def spoofed(n: int) -> dict[str, str]:
        return {"X-Forwarded-For": f"192.0.2.{n + 1}"}

    # When it sends 101 requests
    statuses = [
        direct.get("/v1/wallet", headers=spoofed(n)).status_code for n in range(EDGE.requests_per_ip + 1)
    ]
    # Then they all count against its one socket address
    assert statuses[-1] == 429
    # And its sign-ups are counted against that address too (3 an hour): never five accepted
    start_a_new_window(api)
    signups = [
        direct.post(
            "/v1/auth/signup",
            json={
                "email": f"xff{n}@example.com",
                "password": "Correct-Horse-9-Battery",
                "name": "X",
                "device_id": f"xff-device-{n:04d}",
            },
            headers=spoofed(n),
        ).status_code
        for n in range(5)
    ]
    assert signups.count(201) <= 3 and signups[3:] == [429, 429]


@pytest.mark.parametrize("malformed", ["not-an-ip", "198.51.100.1, 198.51.100.2", "198.51.100.1:port"])
def test_a_malformed_viewer_address_is_ignored(
    api: httpx.Client, direct: httpx.Client, malformed: str
) -> None:
    # Given a new window and a client sending a viewer address that is not one IP
    start_a_new_window(api)
    # When it sends 100 requests with that header and one more with none
    statuses = [
        direct.get("/v1/wallet", headers={"CloudFront-Viewer-Address": malformed}).status_code
        for _ in range(EDGE.requests_per_ip)
    ]
    last = direct.get("/v1/wallet")
    # Then all of them were counted against the client's socket address
    assert statuses == [401] * EDGE.requests_per_ip
    assert last.status_code == 429


def test_a_body_over_api_gateways_10_mb_is_413(api: httpx.Client) -> None:
    response = api.post(
        "/v1/auth/signup",
        content=b"x" * (EDGE.max_body_bytes + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_body_at_the_limit_reaches_the_function(api: httpx.Client) -> None:
    response = api.post(
        "/v1/auth/signup", content=b" " * EDGE.max_body_bytes, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400  # the function's answer: not JSON


def test_a_method_no_route_has_is_the_spec_404(api: httpx.Client) -> None:
    answer = api.request("TRACE", "/v1/me")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
