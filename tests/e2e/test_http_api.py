"""The HTTP API through the local gateway, as curl or the app would call it."""

from __future__ import annotations

import time

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.conftest import Runtime, registered_user
from tests.support.cognito import signed_in_user

UNAUTHORIZED = {"code": "unauthorized", "details": {}}


def test_a_v1_route_without_a_token_is_401_with_the_spec_error_body(api: httpx.Client) -> None:
    response = api.get("/v1/wallet")
    assert response.status_code == 401
    assert response.json()["error"].items() >= UNAUTHORIZED.items()


def test_a_token_not_signed_by_the_user_pool_is_401(api: httpx.Client) -> None:
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    forged = jwt.encode(
        {"sub": "someone", "token_use": "access", "iat": now, "exp": now + 600, "iss": "https://example.com"},
        forger,
        algorithm="RS256",
        headers={"kid": "dummy"},
    )
    response = api.get("/v1/wallet", headers={"Authorization": f"Bearer {forged}"})
    assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthorized")


def test_a_user_pool_token_reaches_the_function_with_its_claims(runtime: Runtime, api: httpx.Client) -> None:
    # Created by an administrator straight in the pool: no sign-up, so no confirmation trigger and no
    # wallet. The 404 comes from the wallet function itself, which proves the gateway verified the token
    # and passed the caller's `sub` on.
    user = signed_in_user("no-wallet@example.com", endpoint_url=runtime.aws_endpoint)
    response = api.get("/v1/wallet", headers={"Authorization": f"Bearer {user.access_token}"})
    assert (response.status_code, response.json()["error"]["code"]) == (404, "wallet_not_found")


def test_signup_confirm_login_then_the_wallet_holds_the_signup_bonus(api: httpx.Client) -> None:
    token = registered_user(api, "carol@example.com")
    wallet = api.get("/v1/wallet", headers={"Authorization": f"Bearer {token}"})
    assert wallet.status_code == 200
    assert wallet.json()["balance"] == 1000  # SIGNUP_BONUS


def test_an_unknown_route_is_404_with_the_spec_error_body(api: httpx.Client) -> None:
    response = api.get("/v1/no-such-thing")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_openapi_and_swagger_ui_are_served_without_the_internet(api: httpx.Client) -> None:
    document = api.get("/openapi.json").json()
    assert {"/v1/wallet", "/v1/wallet/transactions", "/v1/auth/login"} <= set(document["paths"])
    assert document["paths"]["/v1/wallet"]["get"]["security"] == [{"cognito": []}]
    assert "security" not in document["paths"]["/v1/auth/login"]["post"]
    assert document["components"]["securitySchemes"]["cognito"]["scheme"] == "bearer"
    page = api.get("/docs").text
    assert "/docs/swagger-ui-bundle.js" in page and "https://" not in page
    assert api.get("/docs/swagger-ui-bundle.js").status_code == 200
