"""The API Gateway JWT authorizer, locally: verifies a Cognito token issued by moto's user pool and hands
the claims to the function exactly as API Gateway does (every value a string; arrays as `[a b]`).

moto signs every pool's tokens with the RS256 key it ships (kid `dummy`); the public half is
`moto/cognitoidp/resources/jwks-public.json`. Tokens carry real time (moto stamps `iat`/`exp` with the
system clock), so `exp` is checked against the system clock, not the local clock the functions read.
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
from moto.utilities.utils import load_resource

ACCEPTED_TOKEN_USES = ("access", "id")


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
        try:
            key = self._keys[jwt.get_unverified_header(token).get("kid", "")]
            payload = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"verify_aud": False, "require": ["exp", "iat", "iss", "sub", "token_use"]},
                leeway=0,
            )
        except (jwt.PyJWTError, KeyError) as error:
            raise Unauthorized(f"The token is not valid: {error}.") from error
        if payload["token_use"] not in ACCEPTED_TOKEN_USES:
            raise Unauthorized("Only access and id tokens are accepted.")
        if self.audience not in (payload.get("client_id"), payload.get("aud")):
            raise Unauthorized("The token was issued to another client.")
        if payload["iat"] > time.time():
            raise Unauthorized("The token was issued in the future.")
        return {name: _claim_string(value) for name, value in payload.items()}
