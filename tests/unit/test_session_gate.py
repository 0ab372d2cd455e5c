"""The session gate's rules and its cache, on the injectable clock, with an in-memory cut-off store."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import FROZEN_AT
from twtc_core.accounts.errors import AccountSuspended
from twtc_core.accounts.sessions import (
    AccessTokenRequired,
    SessionCutoff,
    SessionEnded,
    SessionGate,
    SessionState,
    SessionStore,
    TrustFlags,
)
from twtc_core.clock import Clock

NOW = int(FROZEN_AT.timestamp())


class MemorySessionStore(SessionStore):
    def __init__(self) -> None:
        self.cutoffs: dict[str, SessionCutoff] = {}
        self.trust: dict[str, TrustFlags] = {}
        self.reads = 0

    def state_of(self, user_id: str) -> SessionState:
        self.reads += 1
        return SessionState(self.cutoffs.get(user_id), self.trust.get(user_id, TrustFlags()))

    def end_sessions(self, user_id: str, ended_before: int, keep: str | None, ended_at: datetime) -> None:
        self.cutoffs[user_id] = SessionCutoff(ended_before, frozenset({keep} if keep else ()))

    def set_trust(self, user_id: str, flags: TrustFlags) -> None:
        self.trust[user_id] = flags


def access(logged_in_at: int, session: str = "session-1", **overrides: str) -> dict[str, str]:
    return {
        "sub": "user-1",
        "token_use": "access",
        "auth_time": str(logged_in_at),
        "iat": str(logged_in_at),
        "origin_jti": session,
        **overrides,
    }


@pytest.mark.parametrize(
    ("issued_at", "session", "live"),
    [
        (NOW - 1, "old", False),  # issued before the cut-off
        (NOW, "old", False),  # in the cut-off's own second: refused (never kept by accident)
        (NOW, "kept", True),  # the session the ending device opened
        (NOW - 600, "kept", True),  # an earlier token of the kept session (refreshes share it)
        (NOW + 1, "new", True),  # any login after the cut-off
    ],
)
def test_the_cutoff_keeps_only_later_tokens_and_the_named_session(
    issued_at: int, session: str, live: bool
) -> None:
    assert SessionCutoff(NOW, frozenset({"kept"})).allows(issued_at, session) is live


@pytest.mark.parametrize(
    ("claims", "refusal"),
    [
        ({"sub": "user-1", "token_use": "id", "auth_time": str(NOW)}, AccessTokenRequired),
        ({"sub": "user-1", "auth_time": str(NOW)}, AccessTokenRequired),
        ({"sub": "user-1", "token_use": "access", "iat": str(NOW)}, SessionEnded),
        ({"sub": "user-1", "token_use": "access", "auth_time": "soon"}, SessionEnded),
        ({"token_use": "access", "auth_time": str(NOW)}, SessionEnded),
    ],
)
def test_claims_that_are_not_an_access_token_with_a_time_are_refused(
    clock: Clock, claims: dict[str, str], refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        SessionGate(MemorySessionStore()).require_live(claims)


def test_a_user_who_never_ended_a_session_is_live(clock: Clock) -> None:
    assert SessionGate(MemorySessionStore()).require_live(access(NOW)) == "user-1"


def test_another_container_sees_an_ending_within_the_cache_time_and_not_before(clock: Clock) -> None:
    # Given two containers sharing the table, one of which just served the user's phone token
    store = MemorySessionStore()
    serving, ending = SessionGate(store), SessionGate(store)
    phone = access(NOW - 60, session="phone")
    serving.require_live(phone)
    # When the other container ends the user's sessions (a new-device login)
    clock.advance(1)
    ending.end_sessions("user-1", keep="laptop")
    # Then the first container may still accept the phone until its cached view is 30 s old
    clock.advance(SessionGate.CACHE_SECONDS - 2)
    assert serving.require_live(phone) == "user-1"
    clock.advance(1)
    with pytest.raises(SessionEnded):
        serving.require_live(phone)
    # And the container that ended them refuses at once, while the laptop works everywhere
    with pytest.raises(SessionEnded):
        ending.require_live(phone)
    assert serving.require_live(access(NOW - 5, session="laptop")) == "user-1"


def test_a_busy_user_costs_one_read_per_container_per_cache_period(clock: Clock) -> None:
    store = MemorySessionStore()
    gate = SessionGate(store)
    for _ in range(100):
        gate.require_live(access(NOW))
        clock.advance(0.5)  # 100 requests over 50 seconds
    assert store.reads == 2


def test_a_token_refreshed_after_the_cutoff_from_an_older_login_is_refused(clock: Clock) -> None:
    # Given a login whose refresh token escaped the global sign-out (it raced a new-device login)
    store = MemorySessionStore()
    gate = SessionGate(store)
    clock.advance(10)
    gate.end_sessions("user-1", keep="laptop")
    # When it is refreshed after the cut-off: issued now, but of a login before it
    refreshed = access(NOW, session="phone", iat=str(NOW + 60))
    # Then it is refused; only a login after the cut-off, or the kept session, gets in
    with pytest.raises(SessionEnded):
        gate.require_live(refreshed)
    assert gate.require_live(access(NOW + 11, session="tablet")) == "user-1"


def test_a_suspended_user_is_refused_on_every_route_from_the_same_read(clock: Clock) -> None:
    # Given a live session, its item read once
    store = MemorySessionStore()
    gate = SessionGate(store)
    gate.require_live(access(NOW - 60))
    # When the fraud engine suspends the user
    store.set_trust("user-1", TrustFlags(alert_level=4))
    # Then the cached read still serves for up to 30 s, and after it every request is 403 account_suspended
    clock.advance(SessionGate.CACHE_SECONDS - 1)
    gate.require_live(access(NOW - 60))
    clock.advance(1)
    with pytest.raises(AccountSuspended):
        gate.require_live(access(NOW - 60))
    # And the trust flags the earning gate reads cost no read of their own
    assert gate.trust_of("user-1").suspended
    assert store.reads == 2
