"""Auth rules: who may sign up (and with which referral code), confirmation, login limits and the
one-session-per-device rule. Knows nothing of HTTP; Cognito and the tables come in as arguments."""

from __future__ import annotations

from dataclasses import dataclass

from functions.auth.models import ConfirmIn, ConfirmOut, LoginIn, RefreshIn, SignupIn, SignupOut, TokensOut
from twtc_core.accounts.errors import InvalidCredentials, TooManyLoginAttempts, TooManySignups
from twtc_core.accounts.rules import (
    ReferralCaps,
    ensure_email_domain_allowed,
    reserve_inbox,
    resolve_referrer,
)
from twtc_core.accounts.store import UsersStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import Tokens, UserPool
from twtc_core.ratelimit import RateLimit, RateLimiter
from twtc_core.security import RequestOrigin, SecurityStore

SIGNUPS_PER_IP = RateLimit(scope="signup-ip", limit=3, window_seconds=3600)
FAILED_LOGINS_PER_USERNAME = RateLimit(scope="login-failures", limit=5, window_seconds=15 * 60)


@dataclass(frozen=True)
class AuthServices:
    pool: UserPool
    users: UsersStore
    security: SecurityStore
    limiter: RateLimiter
    referral_caps: ReferralCaps


def sign_up(services: AuthServices, request: SignupIn, origin: RequestOrigin) -> SignupOut:
    """Validate everything that can be validated before Cognito writes anything, then register.

    The IP's sign-up quota is taken first (atomically) and given back if the sign-up does not happen,
    so only completed sign-ups count and a rejected one leaves nothing behind; the same holds for the
    inbox the e-mail address reserves (one account per inbox, however the address is spelled).
    """
    ensure_email_domain_allowed(request.email)
    slot = services.limiter.acquire(SIGNUPS_PER_IP, origin.ip or "unknown", TooManySignups)
    reserved: str | None = None
    try:
        referral_code = _usable_referral_code(services, request)
        reserved = reserve_inbox(services.users, request.email)
        attributes = {
            "name": request.name,
            "custom:device_id": request.device_id,
            "custom:signup_ip": origin.ip or "",
            **({"email": request.email} if request.email else {"phone_number": request.phone or ""}),
            **({"custom:referral_code": referral_code} if referral_code else {}),
        }
        user_id = services.pool.sign_up(request.username, request.password, attributes)
    except Exception:
        services.limiter.give_back(slot)
        if reserved is not None and request.email:
            services.users.release_email_identity(reserved, request.email.strip().lower())
        raise
    services.security.log_activity(user_id, "signup", origin)
    return SignupOut(user_id=user_id, confirmation_required=True)


def confirm(services: AuthServices, request: ConfirmIn) -> ConfirmOut:
    """Cognito checks the code; its post-confirmation trigger provisions the account."""
    services.pool.confirm_sign_up(request.username, request.code)
    return ConfirmOut()


def log_in(services: AuthServices, request: LoginIn, origin: RequestOrigin) -> TokensOut:
    """Every attempt takes one of the username's failure slots and a success gives it back, so only
    failures count and concurrent guesses cannot exceed the limit. A new device ends the user's other
    sessions (global sign-out) before its own tokens are issued."""
    slot = services.limiter.acquire(FAILED_LOGINS_PER_USERNAME, request.username, TooManyLoginAttempts)
    try:
        tokens = services.pool.password_login(request.username, request.password)
    except Exception as error:
        if not isinstance(error, InvalidCredentials):  # only wrong credentials keep their slot
            services.limiter.give_back(slot)
        raise
    services.limiter.give_back(slot)

    user_id = tokens.user_id
    if services.users.get_device(user_id, request.device_id) is None:
        services.pool.sign_out_everywhere(request.username)
        services.security.log_activity(user_id, "logout_other_sessions", origin)
        tokens = services.pool.password_login(request.username, request.password)
    services.users.remember_device(user_id, request.device_id, origin.ip, iso(utc_now()))
    services.security.log_activity(user_id, "login", origin)
    return _tokens_out(tokens)


def refresh(services: AuthServices, request: RefreshIn) -> TokensOut:
    return _tokens_out(services.pool.refresh(request.refresh_token))


def _usable_referral_code(services: AuthServices, request: SignupIn) -> str | None:
    if request.referral_code is None:
        return None
    return resolve_referrer(
        services.users,
        request.referral_code,
        request.device_id,
        services.referral_caps,
        utc_now().date().isoformat(),
    ).code


def _tokens_out(tokens: Tokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )
