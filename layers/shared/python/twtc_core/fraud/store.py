"""Data access for the fraud engine in the security table (docs/access-patterns.md):

  ACTIVITY#<user> / <at>#<id>   the activity log (written by `SecurityStore.log_activity`), read here
  FRAUD#<event_id> / FRAUD      a fraud event; gsi1 FRAUD#<status> / <at>#<id> is the review queue
  TRUST#<user> / STATE          the user's trust state: score, level, the events it is scored from

The only fraud code touching DynamoDB; returns frozen domain values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.models import Model

from twtc_core.clock import iso
from twtc_core.dynamo import put_if, update_if
from twtc_core.fraud.models import Action, Severity
from twtc_core.fraud.score import AlertLevel, EventStatus, ScoredEvent
from twtc_core.pagination import encode_cursor, resume_key
from twtc_core.security import ActivityItem, FraudEventItem, SecurityMeta

QUEUE_KEY = ("pk", "sk", "gsi1pk", "gsi1sk")  # a review queue cursor's key attributes
MAX_SCORED_EVENTS = 100  # the trust state keeps the newest; older ones weigh nothing after 30 days anyway


@dataclass(frozen=True)
class FraudEvent:
    event_id: str
    user_id: str
    type: str
    severity: Severity
    status: EventStatus
    evidence: dict[str, Any]
    created_at: datetime
    note: str | None = None
    reviewed_by: str | None = None


@dataclass(frozen=True)
class TrustState:
    """The user's trust state. `version` guards concurrent reassessments (evaluator vs. admin)."""

    user_id: str
    score: int = 0
    level: AlertLevel = AlertLevel.LOG
    events: tuple[ScoredEvent, ...] = ()
    cooldown_until: int = 0
    captcha_required: bool = False
    manual_level: bool = False  # an admin set the level; findings only raise it from there
    version: int | None = None
    history: tuple[dict[str, Any], ...] = field(default=())


class _TrustItem(Model):
    class Meta(SecurityMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="STATE")
    score = NumberAttribute(default=0)
    level = NumberAttribute(default=1)
    events = JSONAttribute(default=list)
    cooldown_until = NumberAttribute(default=0)
    captcha_required = NumberAttribute(default=0)
    manual_level = NumberAttribute(default=0)
    history = JSONAttribute(default=list)  # level changes: {at, from, to, why}
    version = VersionAttribute()


def action_of(item: ActivityItem) -> Action:
    return Action(
        user_id=item.user_id,
        activity_id=item.sk,
        action=item.action,
        at=datetime.fromisoformat(item.at),
        ip=item.ip,
        country=item.country,
        latitude=float(item.latitude) if item.latitude is not None else None,
        longitude=float(item.longitude) if item.longitude is not None else None,
        device_id=item.device_id,
        session_id=item.session_id,
        resource=item.resource,
        required_seconds=int(item.required_seconds) if item.required_seconds is not None else None,
        elapsed_seconds=float(item.elapsed_seconds) if item.elapsed_seconds is not None else None,
    )


def action_from_image(image: dict[str, Any]) -> Action:
    """The action a stream record's NewImage (DynamoDB JSON) holds."""
    return action_of(ActivityItem.from_raw_data(image))


def _event(item: FraudEventItem) -> FraudEvent:
    return FraudEvent(
        event_id=item.event_id,
        user_id=item.user_id,
        type=item.type,
        severity=Severity(item.severity),
        status=EventStatus(item.status),
        evidence=dict(item.details or {}),
        created_at=datetime.fromisoformat(item.created_at),
        note=item.review_note,
        reviewed_by=item.reviewed_by,
    )


def _scored(raw: dict[str, Any]) -> ScoredEvent:
    return ScoredEvent(
        raw["id"],
        raw["type"],
        Severity(raw["severity"]),
        datetime.fromisoformat(raw["at"]),
        EventStatus(raw["status"]),
    )


def _raw(event: ScoredEvent) -> dict[str, Any]:
    return {
        "id": event.event_id,
        "type": event.type,
        "severity": event.severity.value,
        "at": iso(event.at),
        "status": event.status.value,
    }


class FraudStore:
    # --- activity ------------------------------------------------------------------------------
    def actions_before(self, action: Action, since: datetime, limit: int) -> tuple[Action, ...]:
        """The user's actions logged before `action` and not before `since`, newest first."""
        items = ActivityItem.query(
            f"ACTIVITY#{action.user_id}",
            ActivityItem.sk.between(iso(since), action.activity_id),
            scan_index_forward=False,
            limit=limit + 1,
        )
        return tuple(action_of(item) for item in items if item.sk != action.activity_id)[:limit]

    def recent_actions(self, user_id: str, limit: int) -> tuple[Action, ...]:
        items = ActivityItem.query(f"ACTIVITY#{user_id}", scan_index_forward=False, limit=limit)
        return tuple(action_of(item) for item in items)

    # --- fraud events --------------------------------------------------------------------------
    def record_event(self, event: FraudEvent) -> bool:
        """Put the event unless its (deterministic) id exists: False for a finding already recorded."""
        created_at = iso(event.created_at)
        item = FraudEventItem(
            f"FRAUD#{event.event_id}",
            event_id=event.event_id,
            user_id=event.user_id,
            type=event.type,
            severity=event.severity.value,
            status=event.status.value,
            details=event.evidence,
            created_at=created_at,
            gsi1pk=f"FRAUD#{event.status.value}",
            gsi1sk=f"{created_at}#{event.event_id}",
        )
        return put_if(item, FraudEventItem.pk.does_not_exist())

    def event(self, event_id: str) -> FraudEvent | None:
        try:
            return _event(FraudEventItem.get(f"FRAUD#{event_id}", "FRAUD", consistent_read=True))
        except FraudEventItem.DoesNotExist:
            return None

    def resolve_event(self, event_id: str, status: EventStatus, note: str, reviewer: str) -> bool:
        """Move an OPEN event out of the review queue; False when it was not open (nothing written)."""
        return update_if(
            FraudEventItem(f"FRAUD#{event_id}", "FRAUD"),
            [
                FraudEventItem.status.set(status.value),
                FraudEventItem.gsi1pk.set(f"FRAUD#{status.value}"),
                FraudEventItem.review_note.set(note),
                FraudEventItem.reviewed_by.set(reviewer),
            ],
            FraudEventItem.status == EventStatus.OPEN.value,
        )

    def events_with_status(
        self,
        status: EventStatus,
        limit: int,
        *,
        severity: Severity | None = None,
        cursor: str | None = None,
    ) -> tuple[list[FraudEvent], str | None]:
        """The review queue (status OPEN) or the resolved, newest first, one page (gsi1) and the cursor of
        the next; a severity filters the page (so a page may hold fewer than `limit`)."""
        after = resume_key(cursor, key_names=QUEUE_KEY, partition=("gsi1pk", f"FRAUD#{status.value}"))
        pages = FraudEventItem.review_queue.query(
            f"FRAUD#{status.value}",
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=after,
            filter_condition=(FraudEventItem.severity == severity.value) if severity else None,
        )
        events = [_event(item) for item in pages]
        return events, encode_cursor(pages.last_evaluated_key)

    # --- trust state ---------------------------------------------------------------------------
    def trust_of(self, user_id: str) -> TrustState:
        try:
            item = _TrustItem.get(f"TRUST#{user_id}", "STATE", consistent_read=True)
        except _TrustItem.DoesNotExist:
            return TrustState(user_id)
        return TrustState(
            user_id=user_id,
            score=int(item.score),
            level=AlertLevel(int(item.level)),
            events=tuple(_scored(raw) for raw in item.events),
            cooldown_until=int(item.cooldown_until),
            captcha_required=bool(item.captcha_required),
            manual_level=bool(item.manual_level),
            version=item.version,
            history=tuple(item.history),
        )

    def save_trust(self, state: TrustState) -> None:
        """Write the state if nobody else did since it was read (else PutError: read and try again)."""
        item = _TrustItem(
            f"TRUST#{state.user_id}",
            "STATE",
            score=state.score,
            level=int(state.level),
            events=[_raw(event) for event in state.events[-MAX_SCORED_EVENTS:]],
            cooldown_until=state.cooldown_until,
            captcha_required=int(state.captcha_required),
            manual_level=int(state.manual_level),
            history=list(state.history[-MAX_SCORED_EVENTS:]),
        )
        if state.version is not None:
            item.version = state.version
        item.save()
