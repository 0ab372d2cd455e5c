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

  USER#<user> / SESSIONS    ended_before (epoch seconds), kept (string set of origin_jti), ended_at
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.models import Model

from twtc_core import errors
from twtc_core.clock import iso, utc_now
from twtc_core.settings import TABLES

SESSIONS_SK = "SESSIONS"
ACCESS_TOKEN = "access"


class SessionEnded(errors.Unauthenticated):
    code = "session_ended"


class AccessTokenRequired(errors.Unauthenticated):
    code = "access_token_required"


class _SessionCutoffItem(Model):
    class Meta:
        table_name = TABLES.users_table_name
        region = TABLES.aws_region

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=SESSIONS_SK)
    ended_before = NumberAttribute()
    kept = UnicodeSetAttribute(null=True)
    ended_at = UnicodeAttribute()


@dataclass(frozen=True)
class SessionCutoff:
    """Tokens of a login at or before `ended_before` are dead, unless their session is in `kept`."""

    ended_before: int
    kept: frozenset[str]

    def allows(self, authenticated_at: int, session_id: str | None) -> bool:
        return authenticated_at > self.ended_before or (session_id is not None and session_id in self.kept)


class SessionStore:
    """The only code that reads or writes the session cut-off items (users table)."""

    def cutoff_of(self, user_id: str) -> SessionCutoff | None:
        try:
            item = _SessionCutoffItem.get(f"USER#{user_id}", SESSIONS_SK)
        except _SessionCutoffItem.DoesNotExist:
            return None
        return SessionCutoff(int(item.ended_before), frozenset(item.kept or ()))

    def end_sessions(self, user_id: str, ended_before: int, keep: str | None, ended_at: datetime) -> None:
        """Replace the cut-off: the newest ending wins, whatever came before it."""
        _SessionCutoffItem(
            f"USER#{user_id}",
            ended_before=ended_before,
            kept={keep} if keep else None,
            ended_at=iso(ended_at),
        ).save()


@dataclass(frozen=True)
class _Cached:
    cutoff: SessionCutoff | None
    read_at: float


class SessionGate:
    """Decides whether a verified access token's session is still live.

    A container remembers each user's cut-off for `CACHE_SECONDS` (on the injectable clock), so a busy
    user costs one `GetItem` per container per half-minute, and an ended session stops working within
    that time on every route (the stated worst case: 30 s, inside the spec's 60 s).
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
        cutoff = self._cutoff(user_id)
        if cutoff is not None and not cutoff.allows(authenticated_at, claims.get("origin_jti")):
            raise SessionEnded("The session has ended; log in again.")
        return user_id

    def end_sessions(self, user_id: str, *, keep: str | None = None) -> None:
        """End every session of the user issued until now, except `keep` (the session just opened)."""
        now = utc_now()
        self._store.end_sessions(user_id, int(now.timestamp()), keep, now)
        with self._lock:
            self._cache.pop(user_id, None)

    def _cutoff(self, user_id: str) -> SessionCutoff | None:
        now = utc_now().timestamp()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and now - cached.read_at < self.CACHE_SECONDS:
            return cached.cutoff
        cutoff = self._store.cutoff_of(user_id)
        with self._lock:
            if len(self._cache) >= self.MAX_CACHED_USERS:
                self._cache.clear()
            self._cache[user_id] = _Cached(cutoff, now)
        return cutoff


def _whole_seconds(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None
