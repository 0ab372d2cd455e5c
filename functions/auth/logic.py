"""Auth rules: who may sign up (and with which referral code), confirmation, login limits and the
one-session-per-device rule. Knows nothing of HTTP; Cognito and the tables come in as arguments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from functions.auth.models import ConfirmIn, ConfirmOut, LoginIn, RefreshIn, SignupIn, SignupOut, TokensOut
from twtc_core.accounts.errors import (
    InvalidConfirmationCode,
    InvalidCredentials,
    TooManyConfirmationAttempts,
    TooManyLoginAttempts,
    TooManySignups,
)
from twtc_core.accounts.rules import (
    ReferralCaps,
    ensure_email_domain_allowed,
    reserve_inbox,
    resolve_referrer,
)
from twtc_core.accounts.sessions import SessionGate
from twtc_core.accounts.store import UsersStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import Tokens, UserPool
from twtc_core.edge import counted_client
from twtc_core.ratelimit import RateLimit, RateLimiter, Slot
from twtc_core.security import RequestOrigin, SecurityStore

SIGNUPS_PER_IP = RateLimit(scope="signup-ip", limit=3, window_seconds=3600)
FAILED_LOGINS_PER_USERNAME = RateLimit(scope="login-failures", limit=5, window_seconds=15 * 60)
# Credential stuffing tries many usernames from one address: failures are also counted per client IP
# (IPv6 by /64, as the edge keys it). 20 is four users' worth of typos behind one shared NAT.
FAILED_LOGINS_PER_IP = RateLimit(scope="login-failures-ip", limit=20, window_seconds=15 * 60)
WRONG_CODES_PER_USERNAME = RateLimit(scope="confirm-failures", limit=5, window_seconds=15 * 60)


@dataclass(frozen=True)
class AuthServices:
    pool: UserPool
    users: UsersStore
    security: SecurityStore
    limiter: RateLimiter
    referral_caps: ReferralCaps
    sessions: SessionGate


def sign_up(services: AuthServices, request: SignupIn, origin: RequestOrigin) -> SignupOut:
    """Validate everything that can be validated before Cognito writes anything, then register.

    The IP's sign-up quota is taken first (atomically) and given back if the sign-up does not happen,
    so only completed sign-ups count and a rejected one leaves nothing behind; the same holds for the
    inbox the e-mail address reserves (one account per inbox, however the address is spelled).
    """
    ensure_email_domain_allowed(request.email)
    slot = services.limiter.acquire(SIGNUPS_PER_IP, counted_client(origin.ip or "unknown"), TooManySignups)
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
    """Cognito checks the code; its post-confirmation trigger provisions the account. Only wrong codes
    keep their slot, so 5 wrong guesses per username per 15 minutes are all anyone gets."""
    slot = services.limiter.acquire(WRONG_CODES_PER_USERNAME, request.username, TooManyConfirmationAttempts)
    with _counted_only_if(services.limiter, [slot], InvalidConfirmationCode):
        services.pool.confirm_sign_up(request.username, request.code)
    return ConfirmOut()


def log_in(services: AuthServices, request: LoginIn, origin: RequestOrigin) -> TokensOut:
    """Every attempt takes a failure slot of the username and of the client IP, and only a wrong
    password keeps them, so only failures count and concurrent guesses cannot exceed either limit.

    A new device ends the user's other sessions: Cognito's global sign-out revokes their refresh tokens,
    and the session cut-off (written after this device's tokens exist, naming only this session) makes
    their access tokens stop working on every route. Of two racing new-device logins the later cut-off
    wins, so exactly one session survives."""
    slots = [
        services.limiter.acquire(FAILED_LOGINS_PER_USERNAME, request.username, TooManyLoginAttempts),
        services.limiter.acquire(
            FAILED_LOGINS_PER_IP, counted_client(origin.ip or "unknown"), TooManyLoginAttempts
        ),
    ]
    with _counted_only_if(services.limiter, slots, InvalidCredentials):
        tokens = services.pool.password_login(request.username, request.password)
    user_id = tokens.user_id
    if services.users.get_device(user_id, request.device_id) is None:
        services.pool.sign_out_everywhere(request.username)
        tokens = services.pool.password_login(request.username, request.password)
        services.sessions.end_sessions(user_id, keep=tokens.session_id)
        services.security.log_activity(user_id, "logout_other_sessions", origin)
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


@contextmanager
def _counted_only_if(limiter: RateLimiter, slots: list[Slot], counted: type[Exception]) -> Iterator[None]:
    """Give the slots back unless the attempt failed with `counted` (the failure the limit is about)."""
    try:
        yield
    except counted:
        raise
    except Exception:
        _give_back(limiter, slots)
        raise
    _give_back(limiter, slots)


def _give_back(limiter: RateLimiter, slots: list[Slot]) -> None:
    for slot in slots:
        limiter.give_back(slot)


def _tokens_out(tokens: Tokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )
