"""Cognito where moto stops short: verification codes and the user pool's Lambda triggers.

moto stores users and issues tokens, but sends no codes (any code confirms) and never invokes triggers.
This adds both through botocore's own event hooks, registered in `botocore.handlers.BUILTIN_HANDLERS`:
every botocore session copies that list when it is created (boto3's default session, PynamoDB's, any
other) and every client copies its session's hooks, so the emulation reaches each client created after
`install_cognito_emulation()` — call it before any function module is imported.

  SignUp / AdminCreateUser   PreSignUp trigger first (real event shape); its exception becomes
                             UserLambdaValidationException, as in Cognito. After a SignUp a 6-digit
                             code goes to the outbox (email or sms).
  ConfirmSignUp              a wrong code answers CodeMismatchException, as Cognito does.
  ConfirmSignUp /            PostConfirmation trigger after the user is confirmed (real event shape);
  AdminConfirmSignUp         its exception becomes UserLambdaValidationException (the user stays
                             confirmed, as in Cognito).
  SignUp / ConfirmSignUp /   refused (NotAuthorizedException) without the right SECRET_HASH when the
  InitiateAuth (password)    app client has a secret: moto checks it only on refresh.

moto's models are also corrected where they differ from Cognito: an app client keeps the `ClientSecret`
it was created with (moto draws a new one, which a function's cached copy would not match after moto is
reset); a refresh token belongs to the user's Cognito username, not the alias they signed in with
(Cognito checks a refresh's SECRET_HASH against that username); a global sign-out ends the user's
sessions whichever name (username, email, phone) they were opened or ended with; a deleted user's
refresh token is refused (NotAuthorizedException) where moto fails with an AttributeError; and tokens
are stamped on the local clock, valid as long as the app client says (moto: one hour of system time;
refresh tokens: forever), with the `auth_time` of the login they were refreshed from (moto: the
refresh's own time).
"""

from __future__ import annotations

import functools
import hmac
import json
import secrets
import threading
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import moto.cognitoidp.models as moto_cognito
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.handlers import BUILTIN_HANDLERS
from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpUserPool, CognitoIdpUserPoolClient, cognitoidp_backends

from infra_cdk.wiring import FUNCTIONS, CognitoTrigger
from local_runtime.events import ACCOUNT_ID
from local_runtime.lambdas import LocalFunction
from local_runtime.outbox import OUTBOX
from twtc_core.clock import utc_now
from twtc_core.cognito import secret_hash

SERVICE = "cognito-identity-provider"
NO_CLIENT = "CLIENT_ID_NOT_APPLICABLE"


class _VerificationCodes:
    """The code sent to each unconfirmed user, by the username they signed up with and by `sub`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, str] = {}

    def issue(self, *names: str) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        with self._lock:
            self._codes.update(dict.fromkeys((name.lower() for name in names), code))
        return code

    def expected(self, name: str) -> str | None:
        with self._lock:
            return self._codes.get(name.lower())

    def clear(self) -> None:
        with self._lock:
            self._codes.clear()


CODES = _VerificationCodes()


def install_cognito_emulation() -> None:
    """Register the hooks once per process; later calls change nothing."""
    for event_name, handler in _HOOKS:
        if (event_name, handler) not in BUILTIN_HANDLERS:
            BUILTIN_HANDLERS.append((event_name, handler))
    _correct_moto()


def reset_cognito_emulation() -> None:
    CODES.clear()


# --- the hooks -----------------------------------------------------------------------------------
def _before_sign_up(params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
    request = _body(params)
    context["twtc_request"] = request
    pool = _pool_of_client(context, request["ClientId"])
    return _secret_hash_refusal(pool, request, request["Username"], request.get("SecretHash")) or (
        _run_pre_sign_up(pool, request, "PreSignUp_SignUp", request["ClientId"], context)
    )


def _before_admin_create_user(params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
    request = _body(params)
    pool = _pool(context, request["UserPoolId"])
    return _run_pre_sign_up(pool, request, "PreSignUp_AdminCreateUser", NO_CLIENT, context)


def _after_sign_up(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    if "UserSub" not in parsed:
        return
    request = context["twtc_request"]
    attributes = _attributes(request.get("UserAttributes"))
    code = CODES.issue(request["Username"], parsed["UserSub"])
    payload = {"code": code, "username": request["Username"]}
    if "email" in attributes:
        OUTBOX.record("email", attributes["email"], "verification_code", payload)
    else:
        OUTBOX.record(
            "sms", attributes.get("phone_number", request["Username"]), "verification_code", payload
        )


def _before_confirm_sign_up(params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
    request = _body(params)
    context["twtc_request"] = request
    pool = _pool_of_client(context, request["ClientId"])
    refusal = _secret_hash_refusal(pool, request, request["Username"], request.get("SecretHash"))
    if refusal is not None:
        return refusal
    expected = CODES.expected(request["Username"])
    if expected is not None and not secrets.compare_digest(expected, request.get("ConfirmationCode", "")):
        return _error("CodeMismatchException", "Invalid verification code provided, please try again.")
    return None


def _before_initiate_auth(params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
    """The password flow; moto checks the refresh flow's SECRET_HASH itself."""
    request = _body(params)
    parameters = request.get("AuthParameters") or {}
    if request.get("AuthFlow") != "USER_PASSWORD_AUTH":
        return None
    pool = _pool_of_client(context, request["ClientId"])
    return _secret_hash_refusal(pool, request, parameters.get("USERNAME", ""), parameters.get("SECRET_HASH"))


def _remember_request(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    context["twtc_request"] = _body(params)


def _after_confirmation(
    http_response: AWSResponse, parsed: dict[str, Any], context: dict[str, Any], **_: Any
) -> None:
    """ConfirmSignUp (the app's client) or AdminConfirmSignUp (an administrator) succeeded."""
    if http_response.status_code >= 300:
        return
    request = context["twtc_request"]
    client_id = request.get("ClientId", NO_CLIENT)
    pool = (
        _pool(context, request["UserPoolId"])
        if "UserPoolId" in request
        else _pool_of_client(context, client_id)
    )
    _run_post_confirmation(
        pool, request, client_id, http_response=http_response, parsed=parsed, context=context
    )


_HOOKS: tuple[tuple[str, Callable[..., Any]], ...] = (
    (f"before-call.{SERVICE}.SignUp", _before_sign_up),
    (f"after-call.{SERVICE}.SignUp", _after_sign_up),
    (f"before-call.{SERVICE}.AdminCreateUser", _before_admin_create_user),
    (f"before-call.{SERVICE}.ConfirmSignUp", _before_confirm_sign_up),
    (f"after-call.{SERVICE}.ConfirmSignUp", _after_confirmation),
    (f"before-call.{SERVICE}.AdminConfirmSignUp", _remember_request),
    (f"before-call.{SERVICE}.InitiateAuth", _before_initiate_auth),
    (f"after-call.{SERVICE}.AdminConfirmSignUp", _after_confirmation),
)


# --- triggers ------------------------------------------------------------------------------------
def _run_pre_sign_up(
    pool: CognitoIdpUserPool | None,
    request: dict[str, Any],
    trigger_source: str,
    client_id: str,
    context: dict[str, Any],
) -> Any:
    if pool is None:
        return None  # moto answers ResourceNotFound
    attributes = _attributes(request.get("UserAttributes"))
    event = _trigger_event(
        pool,
        trigger_source,
        user_name=str(uuid.uuid4())
        if pool.extended_config.get("UsernameAttributes")
        else request["Username"],
        client_id=client_id,
        request={
            "userAttributes": attributes,
            "validationData": _attributes(request.get("ValidationData")) or None,
            "clientMetadata": request.get("ClientMetadata") or {},
        },
        response={"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
        context=context,
    )
    failure = _invoke("PreSignUp", event)
    if failure is not None:
        return _error("UserLambdaValidationException", f"PreSignUp failed with error {failure}.")
    return None


def _run_post_confirmation(
    pool: CognitoIdpUserPool | None,
    request: dict[str, Any],
    client_id: str,
    *,
    http_response: AWSResponse,
    parsed: dict[str, Any],
    context: dict[str, Any],
) -> None:
    if pool is None:
        return
    user = pool._get_user(request["Username"])
    if user is None:
        return
    attributes = {
        **user.attribute_lookup,
        "cognito:user_status": "CONFIRMED",
        **({"email_verified": "true"} if "email" in user.attribute_lookup else {}),
        **({"phone_number_verified": "true"} if "phone_number" in user.attribute_lookup else {}),
    }
    event = _trigger_event(
        pool,
        "PostConfirmation_ConfirmSignUp",
        user_name=user.username,
        client_id=client_id,
        request={"userAttributes": attributes, "clientMetadata": request.get("ClientMetadata") or {}},
        response={},
        context=context,
    )
    failure = _invoke("PostConfirmation", event)
    if failure is not None:
        # Cognito reports the failure to the caller; the user stays confirmed.
        http_response.status_code = 400
        parsed.update(
            _error("UserLambdaValidationException", f"PostConfirmation failed with error {failure}.")[1]
        )


def _trigger_event(
    pool: CognitoIdpUserPool,
    trigger_source: str,
    *,
    user_name: str,
    client_id: str,
    request: dict[str, Any],
    response: dict[str, Any],
    context: dict[str, Any],
) -> dict[str, Any]:
    return {
        "version": "1",
        "region": context.get("client_region") or pool.region,
        "userPoolId": pool.id,
        "userName": user_name,
        "callerContext": {"awsSdkVersion": f"aws-sdk-python-{boto3.__version__}", "clientId": client_id},
        "triggerSource": trigger_source,
        "request": request,
        "response": response,
    }


def _invoke(trigger: CognitoTrigger, event: dict[str, Any]) -> str | None:
    """Run the function declared for `trigger` (if any); the error message when it fails."""
    spec = next((spec for spec in FUNCTIONS if trigger in spec.cognito_triggers), None)
    if spec is None:
        return None
    function = LocalFunction.load(spec.name, spec.handler, spec.memory_mb, spec.timeout_seconds)
    try:
        function.invoke(event)
    except Exception as error:
        return str(error)
    return None


# --- the app client's secret ---------------------------------------------------------------------
def _secret_hash_refusal(
    pool: CognitoIdpUserPool | None, request: dict[str, Any], username: str, given: str | None
) -> Any:
    """Cognito's answer to a call made as a client with a secret, without its SECRET_HASH."""
    client = pool.clients.get(request["ClientId"]) if pool else None
    if client is None or not client.generate_secret:
        return None
    expected = secret_hash(client.secret, client.id, username)
    if given is not None and hmac.compare_digest(given, expected):
        return None
    return _error("NotAuthorizedException", f"Unable to verify secret hash for client {client.id}")


def _correct_moto() -> None:
    """Once per process: the corrections to moto's models described at the top."""
    if getattr(CognitoIdpUserPoolClient.__init__, "__twtc_corrected__", False):
        return
    create_client = CognitoIdpUserPoolClient.__init__
    create_refresh_token = CognitoIdpUserPool.create_refresh_token
    sign_out = CognitoIdpUserPool.sign_out
    refresh = CognitoIdpUserPool.create_tokens_from_refresh_token

    @functools.wraps(create_client)
    def keep_given_secret(
        self: CognitoIdpUserPoolClient, user_pool_id: str, generate_secret: bool, extended_config: Any
    ) -> None:
        create_client(self, user_pool_id, generate_secret, extended_config)
        self.secret = (extended_config or {}).get("ClientSecret", self.secret)

    refresh_expiry: dict[str, int] = {}  # refresh token -> when it stops working (local clock, epoch s)

    @functools.wraps(create_refresh_token)
    def owned_by_username(self: CognitoIdpUserPool, client_id: str, username: str) -> tuple[str, str]:
        user = self._get_user(username)
        refresh_token, origin_jti = create_refresh_token(self, client_id, user.username if user else username)
        validity = _token_validity_seconds(self.clients.get(client_id), "refresh", DEFAULT_REFRESH_SECONDS)
        refresh_expiry[refresh_token] = int(utc_now().timestamp()) + validity
        return refresh_token, origin_jti

    @functools.wraps(sign_out)
    def sign_out_every_name(self: CognitoIdpUserPool, username: str) -> None:
        user = self._get_user(username)
        aliases = [user.username, *map(user.attribute_lookup.get, ("email", "phone_number"))] if user else []
        for name in {username, *filter(None, aliases)}:
            sign_out(self, name)

    @functools.wraps(refresh)
    def refused_once_dead(self: CognitoIdpUserPool, refresh_token: str) -> tuple[str, str, int]:
        _, username, _ = self.refresh_tokens.get(refresh_token) or (None, None, None)
        if username and self._get_user(username) is None:
            raise NotAuthorizedError("User does not exist.")
        if refresh_expiry.get(refresh_token, 0) <= utc_now().timestamp():
            raise NotAuthorizedError("Refresh Token has expired")
        return refresh(self, refresh_token)

    create_jwt = CognitoIdpUserPool.create_jwt
    authenticated_at: dict[str, int] = {}  # origin_jti (one login and its refreshes) -> auth_time

    @functools.wraps(create_jwt)
    def on_the_local_clock(  # noqa: PLR0917 - moto's own signature
        self: CognitoIdpUserPool,
        client_id: str,
        username: str,
        token_use: str,
        expires_in: int = 3600,
        extra_data: dict[str, Any] | None = None,
    ) -> tuple[str, int]:
        now = int(utc_now().timestamp())
        validity = _token_validity_seconds(self.clients.get(client_id), token_use, expires_in)
        session = (extra_data or {}).get("origin_jti")
        auth_time = authenticated_at.setdefault(session, now) if session else now
        stamped = {**(extra_data or {}), "iat": now, "auth_time": auth_time, "exp": now + validity}
        token, _ = create_jwt(self, client_id, username, token_use, validity, stamped)
        return token, validity

    CognitoIdpUserPool.create_jwt = on_the_local_clock  # type: ignore[method-assign]
    keep_given_secret.__twtc_corrected__ = True  # type: ignore[attr-defined]
    CognitoIdpUserPoolClient.__init__ = keep_given_secret  # type: ignore[method-assign]
    CognitoIdpUserPool.create_refresh_token = owned_by_username  # type: ignore[method-assign]
    CognitoIdpUserPool.sign_out = sign_out_every_name  # type: ignore[method-assign]
    CognitoIdpUserPool.create_tokens_from_refresh_token = refused_once_dead  # type: ignore[method-assign]
    moto_cognito.jwk = _SigningKeyImportedOnce(moto_cognito.jwk)  # type: ignore[assignment]


class _SigningKeyImportedOnce:
    """Stands in for joserfc's `jwk` in moto's Cognito model. Every moto user pool signs with the one key
    bundled with moto, and parses it again for each pool (an RSA import, ~0.3 s); a fresh moto per test
    creates a pool per test. The key is the same, so it is parsed once."""

    def __init__(self, jwk: Any) -> None:
        self.RSAKey = self  # moto calls `jwk.RSAKey.import_key(...)`
        self._import_key = jwk.RSAKey.import_key
        self._imported: dict[str, Any] = {}

    def import_key(self, value: Any) -> Any:
        fingerprint = json.dumps(value, sort_keys=True)
        if fingerprint not in self._imported:
            self._imported[fingerprint] = self._import_key(value)
        return self._imported[fingerprint]


# --- helpers -------------------------------------------------------------------------------------
VALIDITY_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
TOKEN_VALIDITY_SETTINGS = {"access": "AccessToken", "id": "IdToken", "refresh": "RefreshToken"}
DEFAULT_REFRESH_SECONDS = 30 * 86400  # Cognito's default when a client declares none


def _token_validity_seconds(client: CognitoIdpUserPoolClient | None, token_use: str, default: int) -> int:
    """What the app client declares (`AccessTokenValidity` in `TokenValidityUnits`), as Cognito honours."""
    setting = TOKEN_VALIDITY_SETTINGS.get(token_use)
    config = client.extended_config if client is not None else {}
    if setting is None or f"{setting}Validity" not in config:
        return default
    unit = (config.get("TokenValidityUnits") or {}).get(setting, "hours")
    return int(config[f"{setting}Validity"]) * VALIDITY_UNIT_SECONDS[unit]


def _body(params: dict[str, Any]) -> dict[str, Any]:
    body = params.get("body") or b"{}"
    return json.loads(body.decode() if isinstance(body, bytes) else body)


def _attributes(pairs: list[dict[str, str]] | None) -> dict[str, str]:
    return {pair["Name"]: pair["Value"] for pair in pairs or ()}


def _backend(context: dict[str, Any]) -> Any:
    return cognitoidp_backends[ACCOUNT_ID][context.get("client_region") or "us-east-1"]


def _pool(context: dict[str, Any], pool_id: str) -> CognitoIdpUserPool | None:
    return _backend(context).user_pools.get(pool_id)


def _pool_of_client(context: dict[str, Any], client_id: str) -> CognitoIdpUserPool | None:
    return next((pool for pool in _backend(context).user_pools.values() if client_id in pool.clients), None)


def _error(code: str, message: str) -> tuple[AWSResponse, dict[str, Any]]:
    parsed = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}, "RetryAttempts": 0},
    }
    return AWSResponse("https://cognito-idp.amazonaws.com/", 400, HTTPHeaders(), None), parsed
