"""Auth rules: who may sign up (and with which referral code), confirmation, login limits and the
one-session-per-device rule. Knows nothing of HTTP; Cognito and the tables come in as arguments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from functions.auth.models import ConfirmIn, ConfirmOut, LoginIn, RefreshIn, SignupIn, SignupOut, TokensOut
from twtc_core.accounts import codes
from twtc_core.accounts.errors import (
    InvalidConfirmationCode,
    InvalidCredentials,
    TooManyConfirmationAttempts,
    TooManyLoginAttempts,
    TooManySignups,
)
from twtc_core.accounts.models import SignupPass
from twtc_core.accounts.rules import (
    ReferralCaps,
    Refusals,
    SignupCandidate,
    SignupStores,
    admit_sign_up,
    ensure_email_domain_allowed,
)
from twtc_core.accounts.sessions import SessionGate
from twtc_core.accounts.stores.signups import SignupPassStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import Tokens, UserPool
from twtc_core.dynamo import Transaction
from twtc_core.edge import counted_client
from twtc_core.ratelimit import RateLimit, RateLimiter, Slot, refused, slot_now
from twtc_core.security import RequestOrigin, SecurityStore

SIGNUPS_PER_IP = RateLimit(scope="signup-ip", limit=3, window_seconds=3600)
FAILED_LOGINS_PER_USERNAME = RateLimit(scope="login-failures", limit=5, window_seconds=15 * 60)
# Credential stuffing tries many usernames from one address: failures are also counted per client IP
# (IPv6 by /64, as the edge keys it). 20 is four users' worth of typos behind one shared NAT.
FAILED_LOGINS_PER_IP = RateLimit(scope="login-failures-ip", limit=20, window_seconds=15 * 60)
WRONG_CODES_PER_USERNAME = RateLimit(scope="confirm-failures", limit=5, window_seconds=15 * 60)
# Long enough for Cognito to run the PreSignUp trigger; a pass outliving its sign-up admits only the
# attributes that were checked, and expires (TTL) with no one needing to delete it.
SIGNUP_PASS_SECONDS = 10 * 60


@dataclass(frozen=True)
class AuthServices:
    pool: UserPool
    signups: SignupStores
    passes: SignupPassStore
    security: SecurityStore
    limiter: RateLimiter
    referral_caps: ReferralCaps
    sessions: SessionGate


def sign_up(services: AuthServices, request: SignupIn, origin: RequestOrigin) -> SignupOut:
    """Validate everything that can be validated before Cognito writes anything, then register.

    One transaction takes the IP's sign-up slot, reserves the inbox (one account per inbox, however the
    address is spelled), checks the referral code and leaves the sign-up pass the PreSignUp trigger
    recognises (so it does not check again); if Cognito then refuses the sign-up, one transaction gives
    all of it back, so only completed sign-ups count and a rejected one leaves nothing behind.
    """
    ensure_email_domain_allowed(request.email)
    slot = slot_now(SIGNUPS_PER_IP, counted_client(origin.ip or "unknown"))
    signup_ip = origin.ip or ""
    granted = SignupPass(
        request.device_id,
        signup_ip,
        codes.normalize(request.referral_code) if request.referral_code else None,
        int(utc_now().timestamp()) + SIGNUP_PASS_SECONDS,
    )

    def slot_and_pass(writes: Transaction) -> Refusals:
        full = services.limiter.take_with(writes, slot)
        if request.phone:  # a sign-up by e-mail leaves its pass with its inbox reservation
            services.passes.issue_with(writes, request.phone, granted)
        return [(full, lambda: refused(slot, TooManySignups))]

    admission = admit_sign_up(
        services.signups,
        services.referral_caps,
        utc_now().date().isoformat(),
        SignupCandidate(request.email, request.referral_code, request.device_id),
        also=slot_and_pass,
        granted=granted,
    )
    attributes = {
        "name": request.name,
        "custom:device_id": request.device_id,
        "custom:signup_ip": signup_ip,
        **({"email": request.email} if request.email else {"phone_number": request.phone or ""}),
        **({"custom:referral_code": admission.referral_code} if admission.referral_code else {}),
    }
    try:
        user_id = services.pool.sign_up(request.username, request.password, attributes)
    except Exception:
        writes = Transaction()
        services.limiter.give_back([slot], writes)
        if request.phone:
            services.passes.revoke_with(writes, request.phone)
        if admission.reserved_inbox is not None:
            services.signups.inboxes.release_with(writes, admission.reserved_inbox)
        writes.commit()
        raise
    services.security.log_activity(user_id, "signup", origin)
    return SignupOut(user_id=user_id, confirmation_required=True)


def confirm(services: AuthServices, request: ConfirmIn) -> ConfirmOut:
    """Cognito checks the code; its post-confirmation trigger provisions the account. A wrong code keeps
    its slot, so 5 wrong guesses per username per 15 minutes are all anyone gets; any other failure gives
    it back. So does nothing else: after a success the username has no code left to guess (a confirmed
    account cannot be confirmed again), and keeping the slot saves a write."""
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
    wins, so exactly one session survives.

    A login from a known device is three calls: one transaction takes both slots, Cognito checks the
    password, one transaction gives the slots back, refreshes the device (only if it is known: that
    condition is the new-device test) and logs the login."""
    slots = services.limiter.acquire_all(
        [
            (FAILED_LOGINS_PER_USERNAME, request.username),
            (FAILED_LOGINS_PER_IP, counted_client(origin.ip or "unknown")),
        ],
        TooManyLoginAttempts,
    )
    with _counted_only_if(services.limiter, slots, InvalidCredentials):
        tokens = services.pool.password_login(request.username, request.password)
    if _record_login(services, slots, tokens.user_id, request.device_id, origin, known_device=True):
        return _tokens_out(tokens)
    with _counted_only_if(services.limiter, slots, InvalidCredentials):
        services.pool.sign_out_everywhere(request.username)
        tokens = services.pool.password_login(request.username, request.password)
        services.sessions.end_sessions(tokens.user_id, keep=tokens.session_id)
    _record_login(services, slots, tokens.user_id, request.device_id, origin, known_device=False)
    return _tokens_out(tokens)


def refresh(services: AuthServices, request: RefreshIn) -> TokensOut:
    return _tokens_out(services.pool.refresh(request.refresh_token))


def _record_login(
    services: AuthServices,
    slots: list[Slot],
    user_id: str,
    device_id: str,
    origin: RequestOrigin,
    *,
    known_device: bool,
) -> bool:
    """Give the failure slots back, refresh the device and log the login, in one transaction. With
    `known_device` it only happens if the device is the user's already: False when it is not (then
    nothing was written)."""
    writes = Transaction()
    services.limiter.give_back(slots, writes)
    known = services.signups.devices.remember_with(
        writes, user_id, device_id, origin.ip, iso(utc_now()), known=known_device
    )
    if not known_device:
        services.security.log_activity_with(writes, user_id, "logout_other_sessions", origin)
    services.security.log_activity_with(writes, user_id, "login", origin)
    return known not in writes.commit()


@contextmanager
def _counted_only_if(limiter: RateLimiter, slots: list[Slot], counted: type[Exception]) -> Iterator[None]:
    """Give the slots back if the attempt fails with anything but `counted` (the failure the limit is
    about); a success gives them back itself (login: with the writes that record it)."""
    try:
        yield
    except counted:
        raise
    except Exception:
        limiter.give_back(slots)
        raise


def _tokens_out(tokens: Tokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )
