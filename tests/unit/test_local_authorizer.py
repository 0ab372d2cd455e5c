"""The local JWT authorizer accepts what API Gateway's would for the pool's access-token routes, and
nothing else; time is the local clock's."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from local_runtime.authorizer import JwtAuthorizer, Unauthorized
from tests.conftest import FROZEN_AT
from twtc_core.clock import Clock

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool"
CLIENT = "app-client"
MOTO_KEY = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
NOW = int(FROZEN_AT.timestamp())


def token(key: Any = MOTO_KEY, kid: str = "dummy", **overrides: Any) -> str:
    claims = {
        "sub": "user-1",
        "iss": ISSUER,
        "client_id": CLIENT,
        "token_use": "access",
        "iat": NOW,
        "exp": NOW + 900,
        "cognito:groups": ["admin", "moderator"],
        "scope": "aws.cognito.signin.user.admin",
    }
    claims.update(overrides)
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None}, key, algorithm="RS256", headers={"kid": kid}
    )


@pytest.fixture
def authorizer(clock: Clock) -> JwtAuthorizer:
    return JwtAuthorizer(ISSUER, CLIENT)


def test_a_pool_access_token_gives_the_claims_as_api_gateway_strings(authorizer: JwtAuthorizer) -> None:
    claims = authorizer.claims(f"Bearer {token()}")
    assert claims["sub"] == "user-1"
    assert claims["cognito:groups"] == "[admin moderator]"
    assert claims["exp"] == str(NOW + 900)


def test_an_id_token_is_refused_even_for_the_right_audience(authorizer: JwtAuthorizer) -> None:
    # Given a genuine id token of the pool (it carries the e-mail and no scope)
    id_token = token(token_use="id", client_id=None, aud=CLIENT, scope=None, email="a@example.com")
    # Then no route accepts it
    with pytest.raises(Unauthorized, match="Only access tokens"):
        authorizer.claims(f"Bearer {id_token}")


def test_a_token_expires_when_the_local_clock_passes_its_validity(
    authorizer: JwtAuthorizer, clock: Clock
) -> None:
    # Given a 15-minute access token, good a second before it ends
    clock.advance(899)
    assert authorizer.claims(f"Bearer {token()}")["sub"] == "user-1"
    # When the local clock reaches its expiry
    clock.advance(1)
    # Then it is refused
    with pytest.raises(Unauthorized, match="expired"):
        authorizer.claims(f"Bearer {token()}")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer ",
        "Bearer not.a.jwt",
        f"Bearer {token(exp=NOW - 1)}",
        f"Bearer {token(iss='https://cognito-idp.us-east-1.amazonaws.com/another')}",
        f"Bearer {token(client_id='another-client')}",
        f"Bearer {token(token_use='refresh')}",
        f"Bearer {token(scope='openid')}",
        f"Bearer {token(kid='unknown')}",
        f"Bearer {token(iat=NOW + 3600)}",
        f"Bearer {token(sub=None)}",
        f"Bearer {token(exp='never')}",
    ],
)
def test_anything_else_is_unauthorized(authorizer: JwtAuthorizer, header: str | None) -> None:
    with pytest.raises(Unauthorized):
        authorizer.claims(header)


def test_a_token_signed_with_another_key_is_unauthorized(authorizer: JwtAuthorizer) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthorized):
        authorizer.claims(f"Bearer {token(key=other)}")


@pytest.mark.parametrize(
    "garbage", ["\udcff\udcfe.e30.x", "eyJhbGciOiJSUzI1NiJ9.\x00.\x00", "a.b.c.d", "é.é.é"]
)
def test_refusals_never_echo_the_decoder(authorizer: JwtAuthorizer, garbage: str) -> None:
    # Given a bearer value that breaks the JWT decoder in some way
    with pytest.raises(Unauthorized) as refused:
        authorizer.claims(f"Bearer {garbage}")
    # Then the message is the same plain sentence, whatever broke
    assert str(refused.value) == "The access token is not valid."
