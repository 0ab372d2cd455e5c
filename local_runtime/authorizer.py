"""The API Gateway JWT authorizer, locally: verifies a Cognito access token issued by moto's user pool and
hands the claims to the function exactly as API Gateway does (every value a string; arrays as `[a b]`).

moto signs every pool's tokens with the RS256 key it ships (kid `dummy`); the public half is
`moto/cognitoidp/resources/jwks-public.json`. The Cognito emulation stamps tokens on the local clock
with the validity the user pool client declares (15 minutes for access tokens), so expiry is checked
against the same clock: moving it forward ages tokens as real time would.

Only access tokens pass, as the deployed routes require the `aws.cognito.signin.user.admin` scope that
only access tokens carry (API Gateway answers an id token there with its own 403; the functions also
refuse anything but an access token, with the spec's 401). Refusals never echo the decoder's internals.
"""

from __future__ import annotations

import json
from typing import Any

import jwt
from moto.utilities.utils import load_resource

from infra_cdk.wiring import USER_POOL
from twtc_core.clock import utc_now

ACCESS_TOKEN_SCOPE = USER_POOL.access_token_scope
INVALID_TOKEN = "The access token is not valid."


class Unauthorized(Exception):
    pass


def _claim_string(value: Any) -> str:
    if isinstance(value, list):
        return "[" + " ".join(str(item) for item in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


class JwtAuthorizer:
    def __init__(self, issuer: str, audience: str) -> None:
        self.issuer = issuer
        self.audience = audience
        self._keys = {
            key["kid"]: jwt.PyJWK(key)
            for key in load_resource("cognitoidp/resources/jwks-public.json")["keys"]
        }

    def claims(self, authorization: str | None) -> dict[str, str]:
        """The verified claims of `Authorization: Bearer <jwt>`; raises Unauthorized otherwise."""
        token = (authorization or "").removeprefix("Bearer ").strip()
        if not token:
            raise Unauthorized("A bearer token is required.")
        now = int(utc_now().timestamp())
        try:
            key = self._keys[jwt.get_unverified_header(token).get("kid", "")]
            payload = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=self.issuer,
                # Time is checked below against the local clock, not the system clock PyJWT reads.
                options={
                    "verify_aud": False,
                    "verify_exp": False,
                    "verify_iat": False,
                    "require": ["exp", "iat", "iss", "sub", "token_use"],
                },
            )
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
            raise Unauthorized(INVALID_TOKEN) from error
        if (
            payload["token_use"] != "access"
            or ACCESS_TOKEN_SCOPE not in str(payload.get("scope", "")).split()
        ):
            raise Unauthorized("Only access tokens are accepted.")
        if payload.get("client_id") != self.audience:
            raise Unauthorized("The token was issued to another client.")
        if not isinstance(payload["exp"], int) or not isinstance(payload["iat"], int):
            raise Unauthorized(INVALID_TOKEN)
        if payload["exp"] <= now:
            raise Unauthorized("The access token has expired.")
        if payload["iat"] > now:
            raise Unauthorized("The token was issued in the future.")
        return {name: _claim_string(value) for name, value in payload.items()}
