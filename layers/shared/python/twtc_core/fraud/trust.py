"""Turning fraud events into the alert level the request path enforces (docs/fraud.md).

Every change of a user's trust goes through `reassess`: read the trust state, change it, score it, write
it back only if nobody else wrote it meanwhile (the evaluator and an admin may race), then project the
flags onto the session item the session gate reads, and suspend or reinstate the account when level 4 is
entered or left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from pynamodb.exceptions import PutError

from twtc_core.accounts.sessions import SessionGate, SessionStore, TrustFlags
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import UserPool
from twtc_core.fraud.score import AlertLevel, EventStatus, ScoredEvent, alert_level, anomaly_score, violations
from twtc_core.fraud.store import FraudStore, TrustState

SAVE_ATTEMPTS = 3


class TrustContended(Exception):
    """Concurrent writers kept changing the trust state; the caller (or the stream) tries again."""


@dataclass(frozen=True)
class TrustServices:
    fraud: FraudStore
    sessions: SessionStore
    gate: SessionGate
    pool: UserPool
    profiles: ProfileStore
    cooldown_seconds: int


Change = Callable[[TrustState, datetime], TrustState]


def trust_services(
    user_pool_id: str, client_id: str, region: str, cooldown_seconds: int, gate: SessionGate
) -> TrustServices:
    """What a function that changes trust needs (one per container). `gate` is the container's one
    session gate (`twtc_core.api.session_gate()` in an HTTP function): a second gate would end sessions
    in its own cache while the request path kept serving the stale read for up to 30 s."""
    return TrustServices(
        fraud=FraudStore(),
        sessions=SessionStore(),
        gate=gate,
        pool=UserPool(user_pool_id, client_id, region),
        profiles=ProfileStore(),
        cooldown_seconds=cooldown_seconds,
    )


def scored(state: TrustState, now: datetime, cooldown_seconds: int, why: str) -> TrustState:
    """The state's score and level from its events; an admin's level is a floor until reviewed away.
    Entering (or staying at) level 2 on new evidence restarts the cooldown; level 3 requires a CAPTCHA."""
    score = anomaly_score(state.events, now)
    level = alert_level(score, violations(state.events, now))
    if state.manual_level:
        level = max(level, state.level)
    return _at_level(replace(state, score=score), AlertLevel(level), now, cooldown_seconds, why)


def _at_level(
    state: TrustState, level: AlertLevel, now: datetime, cooldown_seconds: int, why: str
) -> TrustState:
    cooldown_until = state.cooldown_until
    if level is AlertLevel.COOLDOWN:
        cooldown_until = int(now.timestamp()) + cooldown_seconds
    history = state.history
    if level != state.level:
        history = (*history, {"at": iso(now), "from": int(state.level), "to": int(level), "why": why})
    return replace(
        state,
        level=level,
        cooldown_until=cooldown_until,
        captcha_required=level >= AlertLevel.CAPTCHA,
        history=history,
    )


def with_events(new_events: list[ScoredEvent], cooldown_seconds: int) -> Change:
    def change(state: TrustState, now: datetime) -> TrustState:
        known = {event.event_id for event in state.events}
        events = (*state.events, *(event for event in new_events if event.event_id not in known))
        return scored(replace(state, events=events), now, cooldown_seconds, "fraud events")

    return change


def with_review(event_id: str, status: EventStatus, cooldown_seconds: int) -> Change:
    """A reviewed event: dismissed weighs nothing, confirmed weighs double. A review replaces an admin's
    set level by the score's own."""

    def change(state: TrustState, now: datetime) -> TrustState:
        events = tuple(replace(e, status=status) if e.event_id == event_id else e for e in state.events)
        reviewed = replace(state, events=events, manual_level=False)
        return scored(reviewed, now, cooldown_seconds, f"event {event_id} {status.value.lower()}")

    return change


def with_level(level: AlertLevel, cooldown_seconds: int, why: str) -> Change:
    def change(state: TrustState, now: datetime) -> TrustState:
        return replace(_at_level(state, level, now, cooldown_seconds, why), manual_level=True)

    return change


def after_captcha(state: TrustState, now: datetime) -> TrustState:
    """A solved CAPTCHA lifts level 3: back to 2 (monitored, no new cooldown) while the score is above
    the normal band, else to 1. The next finding scores from there."""
    if not state.captcha_required:
        return state
    level = AlertLevel(min(alert_level(state.score, 0), AlertLevel.COOLDOWN))
    history = (*state.history, {"at": iso(now), "from": int(state.level), "to": int(level), "why": "captcha"})
    return replace(state, level=level, captcha_required=False, manual_level=False, history=history)


def reassess(services: TrustServices, user_id: str, change: Change) -> TrustState:
    for _ in range(SAVE_ATTEMPTS):
        before = services.fraud.trust_of(user_id)
        after = change(before, utc_now())
        if after == before:
            return after
        try:
            services.fraud.save_trust(after)
        except PutError:
            continue
        _enforce(services, before, after)
        return after
    raise TrustContended(f"trust state of {user_id} kept changing")


def _enforce(services: TrustServices, before: TrustState, after: TrustState) -> None:
    user_id = after.user_id
    services.sessions.set_trust(
        user_id, TrustFlags(int(after.level), after.cooldown_until, after.captcha_required)
    )
    if after.level is AlertLevel.SUSPENDED and before.level is not AlertLevel.SUSPENDED:
        services.profiles.set_disabled(user_id, disabled=True)
        services.pool.disable_user(user_id)
        services.pool.sign_out_everywhere(user_id)
        services.gate.end_sessions(user_id)
    elif before.level is AlertLevel.SUSPENDED and after.level is not AlertLevel.SUSPENDED:
        services.pool.enable_user(user_id)
        services.profiles.set_disabled(user_id, disabled=False)
