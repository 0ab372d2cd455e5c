"""Data access for the calls table: the only code that touches it; one method per access pattern
(docs/access-patterns.md):

  CALL#<call_id>  / CALL                  the call log: parties, rate, held minutes, status, times
                                          GSI active (sparse): ACTIVE / <started_at>#<call_id>, keys present
                                          only while the call is ACTIVE, so the billing tick reads active
                                          calls and nothing else
  PARTY#<user>    / <created_at>#<id>     one pointer per party: "my calls", newest first
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.calls.models import Call, CallStatus
from twtc_core.clock import iso
from twtc_core.dynamo import Transaction, update_if
from twtc_core.pagination import Page, encode_cursor, resume_key
from twtc_core.settings import TABLES

CALL_SK = "CALL"
ACTIVE_PARTITION = "ACTIVE"


class _CallsMeta:
    table_name = TABLES.calls_table_name
    region = TABLES.aws_region


class ActiveIndex(GlobalSecondaryIndex["CallItem"]):
    class Meta:
        index_name = "active"
        projection = AllProjection()

    active_pk = UnicodeAttribute(hash_key=True)
    active_sk = UnicodeAttribute(range_key=True)


class CallItem(Model):
    class Meta(_CallsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=CALL_SK)
    call_id = UnicodeAttribute()
    call_sid = UnicodeAttribute()
    caller_id = UnicodeAttribute()
    host_id = UnicodeAttribute()
    rate = NumberAttribute()
    held_minutes = NumberAttribute()
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    started_at = UnicodeAttribute(null=True)
    ended_at = UnicodeAttribute(null=True)
    duration_seconds = NumberAttribute(null=True)
    billed_minutes = NumberAttribute(default=0)
    end_reason = UnicodeAttribute(null=True)
    active_pk = UnicodeAttribute(null=True)
    active_sk = UnicodeAttribute(null=True)
    active = ActiveIndex()


class PartyItem(Model):
    class Meta(_CallsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    call_id = UnicodeAttribute()


def _call_key(call_id: str) -> str:
    return f"CALL#{call_id}"


def _party_key(user_id: str) -> str:
    return f"PARTY#{user_id}"


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _call(item: CallItem) -> Call:
    return Call(
        call_id=item.call_id,
        call_sid=item.call_sid,
        caller_id=item.caller_id,
        host_id=item.host_id,
        rate=int(item.rate),
        held_minutes=int(item.held_minutes),
        status=CallStatus(item.status),
        created_at=datetime.fromisoformat(item.created_at),
        started_at=_moment(item.started_at),
        ended_at=_moment(item.ended_at),
        duration_seconds=None if item.duration_seconds is None else int(item.duration_seconds),
        billed_minutes=int(item.billed_minutes or 0),
        end_reason=item.end_reason,
    )


class CallStore:
    def get(self, call_id: str) -> Call | None:
        try:
            return _call(CallItem.get(_call_key(call_id), CALL_SK, consistent_read=True))
        except CallItem.DoesNotExist:
            return None

    def create(self, call: Call) -> Call:
        """Log a RINGING call with its two party pointers, once: a second create of the same id writes
        nothing and returns the call first logged (a retried voice webhook)."""
        created = iso(call.created_at)
        writes = Transaction()
        writes.put(
            CallItem(
                _call_key(call.call_id),
                CALL_SK,
                call_id=call.call_id,
                call_sid=call.call_sid,
                caller_id=call.caller_id,
                host_id=call.host_id,
                rate=call.rate,
                held_minutes=call.held_minutes,
                status=CallStatus.RINGING.value,
                created_at=created,
                billed_minutes=0,
            ),
            CallItem.pk.does_not_exist(),
        )
        for party in (call.caller_id, call.host_id):
            writes.put(PartyItem(_party_key(party), f"{created}#{call.call_id}", call_id=call.call_id))
        if writes.commit():
            existing = self.get(call.call_id)
            if existing is None:  # the condition failed, so the call exists
                raise RuntimeError(f"call {call.call_id} vanished")
            return existing
        return call

    def mark_active(self, call_id: str, started_at: datetime) -> bool:
        """RINGING -> ACTIVE, entering the sparse index; False when the call was not ringing."""
        started = iso(started_at)
        return update_if(
            CallItem(_call_key(call_id), CALL_SK),
            [
                CallItem.status.set(CallStatus.ACTIVE.value),
                CallItem.started_at.set(started),
                CallItem.active_pk.set(ACTIVE_PARTITION),
                CallItem.active_sk.set(f"{started}#{call_id}"),
            ],
            CallItem.status == CallStatus.RINGING.value,
        )

    def record_billed(self, call_id: str, minutes: int) -> bool:
        """Raise the billed minutes of an ACTIVE call to `minutes`; False if it is no longer active or
        another tick got there first (its minutes are then charged by that tick)."""
        return update_if(
            CallItem(_call_key(call_id), CALL_SK),
            [CallItem.billed_minutes.set(minutes)],
            (CallItem.status == CallStatus.ACTIVE.value) & (CallItem.billed_minutes < minutes),
        )

    def end(
        self,
        call: Call,
        *,
        ended_at: datetime,
        started_at: datetime | None,
        duration_seconds: int,
        billed_minutes: int,
        reason: str,
    ) -> Call | None:
        """RINGING or ACTIVE -> ENDED, leaving the sparse index; None when it had already ended (a
        duplicate or late callback)."""
        item = CallItem(_call_key(call.call_id), CALL_SK)
        actions: list[Action] = [
            CallItem.status.set(CallStatus.ENDED.value),
            CallItem.ended_at.set(iso(ended_at)),
            CallItem.duration_seconds.set(duration_seconds),
            CallItem.billed_minutes.set(billed_minutes),
            CallItem.end_reason.set(reason),
            CallItem.active_pk.remove(),
            CallItem.active_sk.remove(),
        ]
        if started_at is not None:
            actions.append(CallItem.started_at.set(iso(started_at)))
        # pk must exist: an undo after a failed create must not upsert a bare call item.
        if not update_if(item, actions, CallItem.pk.exists() & (CallItem.status != CallStatus.ENDED.value)):
            return None
        return _call(item)

    def active_calls(self) -> list[Call]:
        """Every ACTIVE call (the sparse index: its size is the number of active calls, never of users)."""
        return [_call(item) for item in CallItem.active.query(ACTIVE_PARTITION)]

    def calls_of(self, user_id: str, limit: int, cursor: str | None) -> Page[Call]:
        """One page of the user's calls as caller or host, newest first: the pointers, then the calls in
        one BatchGetItem."""
        start_key = resume_key(cursor, key_names=("pk", "sk"), partition=("pk", _party_key(user_id)))
        pointers = PartyItem.query(
            _party_key(user_id), scan_index_forward=False, limit=limit, last_evaluated_key=start_key
        )
        call_ids = [pointer.call_id for pointer in pointers]
        found = {
            item.call_id: _call(item)
            for item in CallItem.batch_get([(_call_key(call_id), CALL_SK) for call_id in call_ids])
        }
        return Page(
            [found[call_id] for call_id in call_ids if call_id in found],
            encode_cursor(pointers.last_evaluated_key),
        )
