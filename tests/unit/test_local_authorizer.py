"""The local JWT authorizer accepts what API Gateway's would for the pool, and nothing else."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from local_runtime.authorizer import JwtAuthorizer, Unauthorized

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"
CLIENT = "app-client"
MOTO_KEY = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key


def token(key: Any = MOTO_KEY, kid: str = "dummy", **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "sub": "user-1",
        "iss": ISSUER,
        "client_id": CLIENT,
        "token_use": "access",
        "iat": now,
        "exp": now + 900,
        "cognito:groups": ["admin", "moderator"],
        "scope": "aws.cognito.signin.user.admin",
    }
    claims.update(overrides)
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None}, key, algorithm="RS256", headers={"kid": kid}
    )


@pytest.fixture
def authorizer() -> JwtAuthorizer:
    return JwtAuthorizer(ISSUER, CLIENT)


def test_a_pool_token_gives_the_claims_as_api_gateway_strings(authorizer: JwtAuthorizer) -> None:
    claims = authorizer.claims(f"Bearer {token()}")
    assert claims["sub"] == "user-1"
    assert claims["cognito:groups"] == "[admin moderator]"
    assert claims["exp"].isdigit()


def test_an_id_token_is_checked_against_aud(authorizer: JwtAuthorizer) -> None:
    assert authorizer.claims(token(token_use="id", client_id=None, aud=CLIENT))["token_use"] == "id"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer ",
        "Bearer not.a.jwt",
        f"Bearer {token(exp=int(time.time()) - 1)}",
        f"Bearer {token(iss='https://cognito-idp.us-east-1.amazonaws.com/another')}",
        f"Bearer {token(client_id='another-client')}",
        f"Bearer {token(token_use='refresh')}",
        f"Bearer {token(kid='unknown')}",
        f"Bearer {token(iat=int(time.time()) + 3600)}",
        f"Bearer {token(sub=None)}",
    ],
)
def test_anything_else_is_unauthorized(authorizer: JwtAuthorizer, header: str | None) -> None:
    with pytest.raises(Unauthorized):
        authorizer.claims(header)


def test_a_token_signed_with_another_key_is_unauthorized(authorizer: JwtAuthorizer) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthorized):
        authorizer.claims(f"Bearer {token(key=other)}")
