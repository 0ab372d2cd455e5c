"""Admin trust rules: moderators and admins work the fraud review queue and set alert levels; only an
admin may suspend (level 4), and nobody changes their own level. Every action is audited on the actor's
and on the user's activity log."""

from __future__ import annotations

from dataclasses import dataclass

from functions.admin_trust.models import FraudEventOut, FraudEventsOut, LevelIn, ResolveIn, TrustOut
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.models import is_active
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.admin import Actor, audit, require_admin, require_reviewer
from twtc_core.errors import Conflict, NotFound
from twtc_core.fraud.models import Severity
from twtc_core.fraud.score import AlertLevel, EventStatus
from twtc_core.fraud.store import FraudEvent, FraudStore, TrustState
from twtc_core.fraud.trust import TrustServices, reassess, with_level, with_review
from twtc_core.security import RequestOrigin, SecurityStore

PAGE_SIZE = 25
RESOLUTIONS = {"dismiss": EventStatus.DISMISSED, "confirm": EventStatus.CONFIRMED}


class FraudEventNotFound(NotFound):
    code = "fraud_event_not_found"


class AlreadyResolved(Conflict):
    code = "already_resolved"


class CannotChangeOwnLevel(Conflict):
    code = "cannot_change_own_level"


@dataclass(frozen=True)
class AdminTrustServices:
    fraud: FraudStore
    trust: TrustServices
    profiles: ProfileStore
    security: SecurityStore


def fraud_events(
    services: AdminTrustServices,
    actor: Actor,
    status: EventStatus,
    severity: Severity | None,
    cursor: str | None,
) -> FraudEventsOut:
    require_reviewer(actor)
    events, next_cursor = services.fraud.events_with_status(
        status, PAGE_SIZE, severity=severity, cursor=cursor
    )
    return FraudEventsOut(items=[_out(event) for event in events], next_cursor=next_cursor)


def resolve(
    services: AdminTrustServices, actor: Actor, event_id: str, request: ResolveIn, origin: RequestOrigin
) -> FraudEventOut:
    """Dismiss (the event stops counting: the score drops) or confirm (it counts double: the score may
    reach suspension). Only an open event can be resolved."""
    require_reviewer(actor)
    event = services.fraud.event(event_id)
    if event is None:
        raise FraudEventNotFound("No such fraud event.")
    status = RESOLUTIONS[request.action]
    if not services.fraud.resolve_event(event_id, status, request.note, actor.user_id):
        raise AlreadyResolved("The event was already resolved.")
    reassess(services.trust, event.user_id, with_review(event_id, status, services.trust.cooldown_seconds))
    audit(services.security, actor, f"admin_fraud_{status.value.lower()}", event.user_id, origin)
    resolved = services.fraud.event(event_id)
    return _out(resolved or event)


def set_level(
    services: AdminTrustServices, actor: Actor, user_id: str, request: LevelIn, origin: RequestOrigin
) -> TrustOut:
    """Suspending (4), or lifting a suspension, is an admin's decision; reviewers set 1-3."""
    current = services.fraud.trust_of(user_id)
    level = AlertLevel(request.level)
    suspends = AlertLevel.SUSPENDED in (level, current.level)
    if suspends:
        require_admin(actor)
    else:
        require_reviewer(actor)
    if user_id == actor.user_id:
        raise CannotChangeOwnLevel("Nobody changes their own alert level.")
    if not is_active(services.profiles.get(user_id)):
        raise ProfileNotFound("No such user.")
    why = f"set by {actor.user_id}: {request.note}"
    state = reassess(
        services.trust, user_id, with_level(AlertLevel(level), services.trust.cooldown_seconds, why)
    )
    audit(services.security, actor, "admin_set_alert_level", user_id, origin)
    return _trust_out(state)


def _out(event: FraudEvent) -> FraudEventOut:
    return FraudEventOut(
        event_id=event.event_id,
        user_id=event.user_id,
        type=event.type,
        severity=event.severity.value,
        status=event.status.value,
        evidence=event.evidence,
        created_at=event.created_at,
        note=event.note,
        reviewed_by=event.reviewed_by,
    )


def _trust_out(state: TrustState) -> TrustOut:
    return TrustOut(user_id=state.user_id, score=state.score, alert_level=int(state.level))
