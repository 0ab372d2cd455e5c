"""Data access for the security table: the only code that touches it. One method per access pattern.

Single table (see docs/access-patterns.md):
  RATE#<scope>#<subject> / WINDOW#<start>   fixed-window counter (`used`), expires with its window
  ACTIVITY#<user>        / <at>#<id>        activity log of sensitive actions, kept ACTIVITY_DAYS
  FRAUD#<event_id>       / FRAUD            a fraud event; GSI gsi1 FRAUD#<status> / <at>#<id> is the
                                            review queue
`expires_at` (epoch seconds) is the table's TTL attribute.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.clock import iso, utc_now
from twtc_core.dynamo import Check, Transaction, put_if, update_if
from twtc_core.ids import new_id
from twtc_core.origin import ActionTiming, RequestOrigin
from twtc_core.settings import TABLES

ACTIVITY_DAYS = 90


class SecurityMeta:
    table_name = TABLES.security_table_name
    region = TABLES.aws_region


class RateWindowItem(Model):
    class Meta(SecurityMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    used = NumberAttribute(default=0)
    expires_at = NumberAttribute()


class ActivityItem(Model):
    class Meta(SecurityMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    action = UnicodeAttribute()
    resource = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    country = UnicodeAttribute(null=True)
    latitude = NumberAttribute(null=True)
    longitude = NumberAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)
    device_id = UnicodeAttribute(null=True)
    session_id = UnicodeAttribute(null=True)
    required_seconds = NumberAttribute(null=True)
    elapsed_seconds = NumberAttribute(null=True)
    at = UnicodeAttribute()
    # What an admin action changed: before/after, reason (absent on other activities).
    details = JSONAttribute(null=True)
    expires_at = NumberAttribute()


class FraudQueueIndex(GlobalSecondaryIndex["FraudEventItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class FraudEventItem(Model):
    class Meta(SecurityMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="FRAUD")
    event_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    type = UnicodeAttribute()
    severity = UnicodeAttribute()
    status = UnicodeAttribute(default="OPEN")
    details = JSONAttribute(default=dict)
    created_at = UnicodeAttribute()
    review_note = UnicodeAttribute(null=True)
    reviewed_by = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    review_queue = FraudQueueIndex()


@dataclass(frozen=True)
class WindowUse:
    """`amount` uses (negative: given back) of the fixed window of `scope`/`subject` starting at `start`."""

    scope: str
    subject: str
    start: int
    expires_at: int
    limit: int
    amount: int = 1


def _window_change(window: WindowUse) -> tuple[list[Action], Condition | None]:
    """The window's counter moves by the amount; a positive amount only while the window has room."""
    has_room = RateWindowItem.used.does_not_exist() | (RateWindowItem.used < window.limit)
    actions: list[Action] = [
        RateWindowItem.used.add(window.amount),
        RateWindowItem.expires_at.set(window.expires_at),
    ]
    return actions, has_room if window.amount > 0 else None


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class SecurityStore:
    # --- fixed-window counters -----------------------------------------------------------------
    def add_to_windows(self, windows: list[WindowUse]) -> list[WindowUse]:
        """Move every window by its amount, all or none (one transaction): nothing when a window a use
        is added to already holds its limit. Returns the full windows (empty when all were moved)."""
        if len(windows) == 1:  # a lone window needs no transaction (which would cost twice the writes)
            return [] if self._add_alone(windows[0]) else windows
        writes = Transaction()
        checks = [(window, self.add_to_window(writes, window)) for window in windows]
        failed = writes.commit()
        return [window for window, check in checks if check in failed]

    def add_to_window(self, writes: Transaction, window: WindowUse) -> Check | None:
        """Within `writes`, add `window.amount`, unless (for a positive amount) the window is full;
        returns the check that fails when it is."""
        item = RateWindowItem(f"RATE#{window.scope}#{window.subject}", f"WINDOW#{window.start}")
        return writes.update(item, *_window_change(window))

    @staticmethod
    def _add_alone(window: WindowUse) -> bool:
        item = RateWindowItem(f"RATE#{window.scope}#{window.subject}", f"WINDOW#{window.start}")
        return update_if(item, *_window_change(window))

    # --- activity log --------------------------------------------------------------------------
    def log_activity(
        self,
        user_id: str,
        action: str,
        origin: RequestOrigin,
        resource: str | None = None,
        *,
        timing: ActionTiming | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """THE call every domain makes to record a sensitive action (docs/fraud.md): the fraud evaluator
        reads the record off the table's stream, so recording costs the request this one write."""
        self._activity(user_id, action, origin, resource, timing=timing, details=details).save()

    def log_activity_with(
        self,
        writes: Transaction,
        user_id: str,
        action: str,
        origin: RequestOrigin,
        resource: str | None = None,
        *,
        timing: ActionTiming | None = None,
    ) -> None:
        """The activity, written by `writes` (so only if the action it records is)."""
        writes.put(self._activity(user_id, action, origin, resource, timing=timing))

    @staticmethod
    def _activity(
        user_id: str,
        action: str,
        origin: RequestOrigin,
        resource: str | None,
        *,
        timing: ActionTiming | None = None,
        details: dict[str, Any] | None = None,
    ) -> ActivityItem:
        now = utc_now()
        return ActivityItem(
            f"ACTIVITY#{user_id}",
            f"{iso(now)}#{new_id()}",
            user_id=user_id,
            action=action,
            resource=resource,
            ip=origin.ip,
            country=origin.country,
            latitude=origin.latitude,
            longitude=origin.longitude,
            user_agent=origin.user_agent,
            device_id=origin.device_id,
            session_id=origin.session_id,
            required_seconds=timing.required_seconds if timing else None,
            elapsed_seconds=timing.elapsed_seconds if timing else None,
            at=iso(now),
            details=details,
            expires_at=_epoch(now + timedelta(days=ACTIVITY_DAYS)),
        )

    def activity_of(self, user_id: str) -> Iterator[ActivityItem]:
        return ActivityItem.query(f"ACTIVITY#{user_id}", scan_index_forward=False)

    def erase_activity_of(self, user_id: str) -> None:
        with ActivityItem.batch_write() as batch:
            for item in ActivityItem.query(f"ACTIVITY#{user_id}"):
                batch.delete(item)

    # --- fraud events --------------------------------------------------------------------------
    def record_fraud_event(
        self, event_id: str, user_id: str, fraud_type: str, severity: str, details: dict[str, Any]
    ) -> None:
        """Put the event; a deterministic `event_id` makes recording the same finding twice a no-op."""
        created_at = iso(utc_now())
        item = FraudEventItem(
            f"FRAUD#{event_id}",
            event_id=event_id,
            user_id=user_id,
            type=fraud_type,
            severity=severity,
            details=details,
            created_at=created_at,
            gsi1pk="FRAUD#OPEN",
            gsi1sk=f"{created_at}#{event_id}",
        )
        put_if(item, FraudEventItem.pk.does_not_exist())

    def get_fraud_event(self, event_id: str) -> FraudEventItem | None:
        try:
            return FraudEventItem.get(f"FRAUD#{event_id}", "FRAUD", consistent_read=True)
        except FraudEventItem.DoesNotExist:
            return None
