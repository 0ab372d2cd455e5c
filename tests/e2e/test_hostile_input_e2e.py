"""No input answers 5xx, over HTTP through the local gateway (issue 7): content types, deep nesting, huge
numbers, strict types, cursors and a deleted user's refresh token, as a client sends them."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.e2e.conftest import registered_user

VIEWER = {"CloudFront-Viewer-Address": "198.51.100.201:443"}


def error_of(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/octet-stream", "application/vnd.api+json"]
)
def test_a_body_not_sent_as_json_is_415(api: httpx.Client, content_type: str) -> None:
    response = api.post(
        "/v1/auth/login",
        content=b'{"username": "x@example.com", "password": "p", "device_id": "device-0001"}',
        headers={"Content-Type": content_type, **VIEWER},
    )
    assert error_of(response) == (415, "unsupported_media_type")


@pytest.mark.parametrize("nested", ["[" * 10_000, '{"a":' * 5_000])
def test_deeply_nested_json_is_400(api: httpx.Client, nested: str) -> None:
    response = api.post(
        "/v1/auth/refresh", content=nested, headers={"Content-Type": "application/json", **VIEWER}
    )
    assert error_of(response) == (400, "malformed_request")


def test_hostile_profile_and_wallet_input_is_4xx(api: httpx.Client) -> None:
    # Given a signed-in user
    me = {"Authorization": f"Bearer {registered_user(api, 'hostile@example.com')}"}
    # Then a 5,000-digit number, a string for a number and a NUL in a name are 422
    huge = api.patch(
        "/v1/me",
        content='{"call_rate": ' + "7" * 5_000 + "}",
        headers={**me, "Content-Type": "application/json"},
    )
    assert error_of(huge) == (422, "validation_failed")
    assert error_of(api.patch("/v1/me", json={"call_rate": "1000"}, headers=me)) == (422, "validation_failed")
    assert error_of(api.patch("/v1/me", json={"name": "A\x00B"}, headers=me)) == (422, "validation_failed")
    # And a cursor of 1,536 brackets is not one this API issued
    cursor = base64.urlsafe_b64encode(b"[" * 1536).decode()
    transactions = api.get("/v1/wallet/transactions", params={"cursor": cursor}, headers=me)
    assert error_of(transactions) == (400, "invalid_cursor")


def test_a_deleted_users_refresh_token_is_401(api: httpx.Client) -> None:
    # Given a user who logged in, then erased their account
    email, password = "erased@example.com", "Correct-Horse-9-Battery"
    registered_user(api, email, password)
    device = api.post(
        "/v1/auth/login",
        json={"username": email, "password": password, "device_id": "erased-device-0001"},
        headers={"CloudFront-Viewer-Address": "198.51.100.202:443"},
    )
    assert device.status_code == 200, device.text
    refresh_token, access = device.json()["refresh_token"], device.json()["access_token"]
    assert api.delete("/v1/me", headers={"Authorization": f"Bearer {access}"}).status_code == 204
    # When the refresh token is used
    response = api.post("/v1/auth/refresh", json={"refresh_token": refresh_token}, headers=VIEWER)
    # Then the session is over
    assert error_of(response) == (401, "invalid_credentials")


def test_a_malformed_code_is_invalid_code(api: httpx.Client) -> None:
    response = api.post(
        "/v1/auth/confirm", json={"username": "x@example.com", "code": "\u0661\u0662\u0663\u0664\u0665\u0666"}
    )
    assert error_of(response) == (422, "invalid_code")
