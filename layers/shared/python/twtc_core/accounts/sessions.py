"""Ending sessions on every route (spec §4, §9): a login from a new device, an erasure, a disable or a
suspension makes the user's other access tokens stop working within `SessionGate.CACHE_SECONDS`.

API Gateway's JWT authorizer only checks signatures and expiry, and Cognito's global sign-out revokes
refresh tokens but not the access tokens already issued. So each user has one small item, the session
cut-off: tokens of a login (`auth_time`, which every token refreshed from it keeps) at or before
`ended_before` are refused, except the sessions named in `kept` (their Cognito `origin_jti`, shared by
every token refreshed from one login). A user who never ended a session has no item, and every
well-formed access token of theirs is live. Not `iat`: a refresh token that escaped the global sign-out
(a login racing it) would otherwise mint tokens issued after the cut-off.

Why a cut-off and not a list of live sessions: a known-device login writes nothing (no per-login cost),
refreshed tokens need no bookkeeping, and two racing new-device logins leave exactly one session alive —
the last cut-off written names only its own session and lies after the other's login.

The same item carries the user's trust flags (the fraud engine's alert level, docs/fraud.md): the gate
reads them with the cut-off, so enforcing the level costs the request nothing more.

  USER#<user> / SESSIONS    ended_before (epoch seconds), kept (string set of origin_jti), ended_at,
                            alert_level (1-4), cooldown_until (epoch seconds), captcha_required
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.models import Model

from twtc_core import errors
from twtc_core.accounts.errors import AccountSuspended
from twtc_core.clock import iso, utc_now
from twtc_core.settings import TABLES

SESSIONS_SK = "SESSIONS"
ACCESS_TOKEN = "access"


class SessionEnded(errors.Unauthenticated):
    code = "session_ended"


class AccessTokenRequired(errors.Unauthenticated):
    code = "access_token_required"


SUSPENDED_LEVEL = 4


class _SessionCutoffItem(Model):
    class Meta:
        table_name = TABLES.users_table_name
        region = TABLES.aws_region

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=SESSIONS_SK)
    ended_before = NumberAttribute(null=True)
    kept = UnicodeSetAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    alert_level = NumberAttribute(null=True)
    cooldown_until = NumberAttribute(null=True)
    captcha_required = BooleanAttribute(null=True)


@dataclass(frozen=True)
class SessionCutoff:
    """Tokens of a login at or before `ended_before` are dead, unless their session is in `kept`."""

    ended_before: int
    kept: frozenset[str]

    def allows(self, authenticated_at: int, session_id: str | None) -> bool:
        return authenticated_at > self.ended_before or (session_id is not None and session_id in self.kept)


@dataclass(frozen=True)
class TrustFlags:
    """What the fraud engine asks the request path to enforce (docs/fraud.md): level 1 log, 2 cooldown
    (earning refused until `cooldown_until`, epoch seconds), 3 CAPTCHA required, 4 suspended."""

    alert_level: int = 1
    cooldown_until: int = 0
    captcha_required: bool = False

    @property
    def suspended(self) -> bool:
        return self.alert_level >= SUSPENDED_LEVEL


@dataclass(frozen=True)
class SessionState:
    cutoff: SessionCutoff | None = None
    trust: TrustFlags = TrustFlags()


class SessionStore:
    """The only code that reads or writes the session items (users table)."""

    def state_of(self, user_id: str) -> SessionState:
        try:
            item = _SessionCutoffItem.get(f"USER#{user_id}", SESSIONS_SK)
        except _SessionCutoffItem.DoesNotExist:
            return SessionState()
        cutoff = (
            SessionCutoff(int(item.ended_before), frozenset(item.kept or ()))
            if item.ended_before is not None
            else None
        )
        trust = TrustFlags(
            int(item.alert_level or 1), int(item.cooldown_until or 0), bool(item.captcha_required)
        )
        return SessionState(cutoff, trust)

    def end_sessions(self, user_id: str, ended_before: int, keep: str | None, ended_at: datetime) -> None:
        """Replace the cut-off: the newest ending wins, whatever came before it (the trust flags stay)."""
        _SessionCutoffItem(f"USER#{user_id}", SESSIONS_SK).update(
            actions=[
                _SessionCutoffItem.ended_before.set(ended_before),
                _SessionCutoffItem.kept.set({keep}) if keep else _SessionCutoffItem.kept.remove(),
                _SessionCutoffItem.ended_at.set(iso(ended_at)),
            ]
        )

    def set_trust(self, user_id: str, flags: TrustFlags) -> None:
        """Replace the trust flags (the cut-off stays)."""
        _SessionCutoffItem(f"USER#{user_id}", SESSIONS_SK).update(
            actions=[
                _SessionCutoffItem.alert_level.set(flags.alert_level),
                _SessionCutoffItem.cooldown_until.set(flags.cooldown_until),
                _SessionCutoffItem.captcha_required.set(flags.captcha_required),
            ]
        )


@dataclass(frozen=True)
class _Cached:
    state: SessionState
    read_at: float


class SessionGate:
    """Decides whether a verified access token's session is still live.

    A container remembers each user's session item for `CACHE_SECONDS` (on the injectable clock), so a
    busy user costs one `GetItem` per container per half-minute, and an ended session stops working
    within that time on every route (the stated worst case: 30 s, inside the spec's 60 s). A change of
    alert level takes effect within the same 30 s (docs/decisions.md "Alert levels on the request path").
    """

    CACHE_SECONDS = 30
    MAX_CACHED_USERS = 10_000  # a container's memory stays bounded; forgetting only costs a read

    def __init__(self, store: SessionStore | None = None) -> None:
        self._store = store or SessionStore()
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def require_live(self, claims: Mapping[str, str]) -> str:
        """The caller's user id, if `claims` are an access token of a live session; else Unauthenticated."""
        if claims.get("token_use") != ACCESS_TOKEN:
            raise AccessTokenRequired("Only access tokens are accepted.")
        user_id = claims.get("sub") or ""
        authenticated_at = _whole_seconds(claims.get("auth_time"))
        if not user_id or authenticated_at is None:
            raise SessionEnded("The session has ended; log in again.")
        state = self._state(user_id)
        if state.trust.suspended:
            raise AccountSuspended("This account is suspended.")
        if state.cutoff is not None and not state.cutoff.allows(authenticated_at, claims.get("origin_jti")):
            raise SessionEnded("The session has ended; log in again.")
        return user_id

    def trust_of(self, user_id: str) -> TrustFlags:
        """The user's trust flags, from the same cached read `require_live` made for this request."""
        return self._state(user_id).trust

    def end_sessions(self, user_id: str, *, keep: str | None = None) -> None:
        """End every session of the user issued until now, except `keep` (the session just opened)."""
        now = utc_now()
        self._store.end_sessions(user_id, int(now.timestamp()), keep, now)
        with self._lock:
            self._cache.pop(user_id, None)

    def _state(self, user_id: str) -> SessionState:
        now = utc_now().timestamp()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and now - cached.read_at < self.CACHE_SECONDS:
            return cached.state
        state = self._store.state_of(user_id)
        with self._lock:
            if len(self._cache) >= self.MAX_CACHED_USERS:
                self._cache.clear()
            self._cache[user_id] = _Cached(state, now)
        return state


def _whole_seconds(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
