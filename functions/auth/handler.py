"""Auth API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.auth import logic
from functions.auth.models import ConfirmIn, ConfirmOut, LoginIn, RefreshIn, SignupIn, SignupOut, TokensOut
from twtc_core.accounts.errors import (
    AccountExists,
    AccountNotConfirmed,
    ChallengeRequired,
    ConfirmationCodeExpired,
    DisposableEmail,
    IdentityProviderBusy,
    InvalidConfirmationCode,
    InvalidCredentials,
    InvalidReferralCode,
    ReferralLimitReached,
    SignupRejected,
    TooManyConfirmationAttempts,
    TooManyLoginAttempts,
    TooManySignups,
    WeakPassword,
)
from twtc_core.accounts.rules import ReferralCaps, SignupStores
from twtc_core.accounts.settings import ReferralSettings
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.accounts.stores.signups import SignupPassStore
from twtc_core.api import build_resolver, documented, session_gate
from twtc_core.cognito import UserPool
from twtc_core.edge import request_origin
from twtc_core.observability import logger, metrics, tracer
from twtc_core.ratelimit import RateLimiter
from twtc_core.security import RequestOrigin, SecurityStore


class AuthSettings(ReferralSettings):
    user_pool_id: str
    user_pool_client_id: str
    user_pool_client_secret_id: str  # the app client's secret in Secrets Manager (name or ARN)


settings = AuthSettings()
security = SecurityStore()
services = logic.AuthServices(
    pool=UserPool(
        settings.user_pool_id,
        settings.user_pool_client_id,
        settings.aws_region,
        client_secret_id=settings.user_pool_client_secret_id,
    ),
    signups=SignupStores(CodeStore(), DeviceStore(), ProfileStore(), ReferralStore(), InboxStore()),
    passes=SignupPassStore(),
    security=security,
    limiter=RateLimiter(security),
    referral_caps=ReferralCaps(settings.referral_max_per_day, settings.referral_max_total),
    sessions=session_gate(),
)
app = build_resolver()


def origin(device_id: str | None = None) -> RequestOrigin:
    return request_origin(app, device_id)


@app.post(
    "/v1/auth/signup",
    summary="Create an account (a verification code is sent)",
    description="Give either `email` or `phone` (E.164, e.g. `+919876543210`), not both.",
    responses=documented(
        SignupOut,
        AccountExists,
        WeakPassword,
        DisposableEmail,
        InvalidReferralCode,
        ReferralLimitReached,
        SignupRejected,
        TooManySignups,
        IdentityProviderBusy,
        status=HTTPStatus.CREATED,
        description="Created; confirm it with the code sent by email or SMS.",
    ),
)
def sign_up(request: SignupIn) -> tuple[SignupOut, int]:
    return logic.sign_up(services, request, origin(request.device_id)), HTTPStatus.CREATED


@app.post(
    "/v1/auth/confirm",
    summary="Confirm an account with its verification code",
    description="`username` is the email or phone number the account signed up with.",
    responses=documented(
        ConfirmOut,
        InvalidCredentials,
        InvalidConfirmationCode,
        ConfirmationCodeExpired,
        TooManyConfirmationAttempts,
        IdentityProviderBusy,
    ),
)
def confirm(request: ConfirmIn) -> ConfirmOut:
    return logic.confirm(services, request)


@app.post(
    "/v1/auth/login",
    summary="Log in (a new device ends other sessions)",
    description="`username` is the email or phone number the account signed up with.",
    responses=documented(
        TokensOut,
        InvalidCredentials,
        AccountNotConfirmed,
        ChallengeRequired,
        TooManyLoginAttempts,
        IdentityProviderBusy,
    ),
)
def log_in(request: LoginIn) -> TokensOut:
    return logic.log_in(services, request, origin(request.device_id))


@app.post(
    "/v1/auth/refresh",
    summary="A new access token for a refresh token",
    responses=documented(TokensOut, InvalidCredentials, TooManyLoginAttempts, IdentityProviderBusy),
)
def refresh(request: RefreshIn) -> TokensOut:
    return logic.refresh(services, request)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
