"""Call rules (spec §5): placing a call on a hold, following Twilio's callbacks, billing started minutes.

State machine (docs/decisions.md, "Audio calls"): RINGING (voice webhook: BUSY pair, call log, hold) ->
ACTIVE (answered: billed from started_at) -> ENDED (completed, busy, no-answer, failed, canceled: every
started minute captured, the rest released, BUSY dropped). Every step is a conditional write or a ledger
movement with a deterministic id, so duplicate, late or concurrent callbacks and ticks charge nothing twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from twtc_core.accounts.models import is_active
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.calls.billing import affordable_minutes, billable_minutes, host_share
from twtc_core.calls.busy import BusyStore
from twtc_core.calls.models import Call, CallStatus
from twtc_core.calls.settings import BillingSettings, TwilioSettings
from twtc_core.calls.store import CallStore
from twtc_core.calls.twilio_account import TwilioAccount
from twtc_core.clock import iso, utc_day
from twtc_core.connections import ConnectionStore
from twtc_core.ids import stable_id
from twtc_core.ledger import EntryType, Hold, HoldStatus, Ledger, PlatformAccount, WalletNotFound
from twtc_core.ledger.service import HoldNotFound
from twtc_core.observability import logger
from twtc_core.push import Pusher
from twtc_core.stats import Metric, StatsStore

SETUP_FAILED = "setup_failed"
COMPLETED = "completed"


def call_id_of(call_sid: str) -> str:
    """The call's id, derived from Twilio's CallSid: a retried voice webhook finds the same call."""
    return stable_id("twilio-call", call_sid)


@dataclass(frozen=True)
class Dial:
    host_id: str
    time_limit_seconds: int


@dataclass(frozen=True)
class Refusal:
    reason: Literal["not_a_host", "self_call", "unavailable", "busy", "insufficient_funds", "failed"]
    message: str


@dataclass(frozen=True)
class CallEvent:
    """What a status callback (or the Dial action) reports: answered, ended (with reason and duration),
    or progress that changes nothing (initiated, ringing)."""

    kind: Literal["answered", "ended", "progress"]
    reason: str | None = None
    duration_seconds: int | None = None


@dataclass(frozen=True)
class TickReport:
    active_calls: int
    minutes_charged: int
    hung_up: int


@dataclass
class CallService:
    calls: CallStore
    busy: BusyStore
    ledger: Ledger
    profiles: ProfileStore
    connections: ConnectionStore
    pusher: Pusher
    twilio: TwilioAccount
    rules: BillingSettings
    stats: StatsStore

    # --- the voice webhook ---------------------------------------------------------------------
    def place(self, call_sid: str, caller_id: str, callee_id: str, now: datetime) -> Dial | Refusal:
        """Decide the caller's dial; if it goes ahead, both parties are BUSY, the call is logged and
        its minutes are held, all or nothing. A retry of the same CallSid answers the same."""
        existing = self.calls.get(call_id_of(call_sid))
        if existing is not None:
            return _answer_for(existing)
        terms = self._terms(caller_id, callee_id, now)
        if isinstance(terms, Refusal):
            return terms
        rate, minutes = terms
        call = Call(
            call_id=call_id_of(call_sid),
            call_sid=call_sid,
            caller_id=caller_id,
            host_id=callee_id,
            rate=rate,
            held_minutes=minutes,
            status=CallStatus.RINGING,
            created_at=now,
            started_at=None,
            ended_at=None,
            duration_seconds=None,
            billed_minutes=0,
            end_reason=None,
        )
        try:
            if not self.busy.claim(caller_id, callee_id, call.call_id, now):
                return Refusal("busy", "The person you are calling is in another call.")
            call = self.calls.create(call)
            self.ledger.hold(
                hold_id=call.hold_id,
                user_id=caller_id,
                amount=call.hold_amount,
                purpose=EntryType.CALL_CHARGE,
            )
        except Exception:
            logger.exception("call setup failed; undoing it", extra={"call_id": call.call_id})
            self._undo(call, now)
            return Refusal("failed", "The call could not be placed. Please try again.")
        self._announce_presence((caller_id, callee_id))
        return Dial(callee_id, call.held_minutes * 60)

    def _terms(self, caller_id: str, callee_id: str, now: datetime) -> Refusal | tuple[int, int]:
        """Why the call cannot go ahead, or the host's rate and the minutes to hold."""
        if callee_id == caller_id:
            return Refusal("self_call", "You cannot call yourself.")
        host = self.profiles.get(callee_id)
        if not is_active(host) or not host.accepts_calls:
            return Refusal("not_a_host", "This person does not take calls.")
        if not self.connections.is_connected(callee_id, now):
            return Refusal("unavailable", "The person you are calling is not available.")
        try:
            available = self.ledger.get_wallet(caller_id).available
        except WalletNotFound:
            available = 0
        minutes = affordable_minutes(available, host.call_rate, self.rules.max_call_minutes)
        if minutes == 0:
            return Refusal("insufficient_funds", "You do not have enough coins for one minute.")
        return host.call_rate, minutes

    def _undo(self, call: Call, now: datetime) -> None:
        self.calls.end(
            call, ended_at=now, started_at=None, duration_seconds=0, billed_minutes=0, reason=SETUP_FAILED
        )
        with contextlib.suppress(HoldNotFound):
            self.ledger.release(hold_id=call.hold_id, user_id=call.caller_id)
        self.busy.release((call.caller_id, call.host_id), call.call_id)

    # --- status callbacks and the Dial action --------------------------------------------------
    def follow(self, call_sid: str, event: CallEvent, now: datetime) -> Call | None:
        """Apply what Twilio reports about the call; None for a call we never placed."""
        call = self.calls.get(call_id_of(call_sid))
        if call is None:
            logger.warning("status callback for an unknown call", extra={"call_sid": call_sid})
            return None
        if event.kind == "answered" and self.calls.mark_active(call.call_id, now):
            for party in (call.caller_id, call.host_id):
                self.pusher.to_user(
                    party,
                    {
                        "type": "call.started",
                        "call_id": call.call_id,
                        "started_at": iso(now),
                        "rate": call.rate,
                    },
                )
        elif event.kind == "ended":
            self._end(call, event, now)
        return self.calls.get(call.call_id)

    def _end(self, call: Call, event: CallEvent, now: datetime) -> None:
        started_at = call.started_at
        if started_at is None and event.reason == COMPLETED and event.duration_seconds:
            # Answered, but the answered callback never arrived: the duration says when it started.
            started_at = now - timedelta(seconds=event.duration_seconds)
        if started_at is None:
            elapsed = 0.0
        elif event.duration_seconds is not None:
            elapsed = float(event.duration_seconds)
        else:
            elapsed = (now - started_at).total_seconds()
        hold = self._open_hold(call)
        already = hold.captured // call.rate if hold is not None else call.billed_minutes
        minutes = max(billable_minutes(elapsed, call.held_minutes), already, call.billed_minutes)
        ended = self.calls.end(
            call,
            ended_at=now,
            started_at=started_at,
            duration_seconds=int(elapsed),
            billed_minutes=minutes,
            reason=event.reason or COMPLETED,
        )
        final = ended or self.calls.get(call.call_id) or call
        if hold is not None:
            self._charge(final, final.billed_minutes, already)
            self.ledger.release(hold_id=call.hold_id, user_id=call.caller_id)
        self.busy.release((call.caller_id, call.host_id), call.call_id)
        if ended is not None:
            self._count_billed(final, now)
            self._announce_end(final)
            self._announce_presence((call.caller_id, call.host_id))

    # --- the billing tick ----------------------------------------------------------------------
    def bill(self, call: Call, now: datetime) -> tuple[int, bool]:
        """Charge the active call's started minutes not charged yet, tell both parties, and hang up once
        the held minutes are spent; (minutes charged now, hung up)."""
        if call.started_at is None:
            return 0, False
        elapsed = (now - call.started_at).total_seconds()
        minutes = billable_minutes(elapsed, call.held_minutes)
        hold = self._hold(call)
        if hold is None or hold.released:
            return 0, False  # ended meanwhile: its final callback settled it
        already = hold.captured // call.rate
        if hold.status is HoldStatus.OPEN:  # closed without a release: every held minute is captured
            self._charge(call, minutes, already)
            self.calls.record_billed(call.call_id, minutes)
        available = self.ledger.get_wallet(call.caller_id).available
        tick = {
            "type": "call.tick",
            "call_id": call.call_id,
            "elapsed_seconds": int(elapsed),
            "minutes_charged": minutes,
            "charged": minutes * call.rate,
            "available": available,
        }
        for party in (call.caller_id, call.host_id):
            self.pusher.to_user(party, tick)
        remaining = call.held_minutes - minutes
        if remaining < self.rules.low_balance_minutes <= call.held_minutes - call.billed_minutes:
            self.pusher.to_user(
                call.caller_id,
                {
                    "type": "call.low_balance",
                    "call_id": call.call_id,
                    "minutes_left": remaining,
                    "available": available,
                },
            )
        spent = elapsed >= call.held_minutes * 60
        if spent:
            self.twilio.hang_up(call.call_sid)
        return max(0, minutes - already), spent

    def tick(
        self, now: datetime, run: Callable[[Callable[[Call], Any], list[Call]], list[Any]]
    ) -> TickReport:
        """Bill every active call (the sparse index), `run` mapping them concurrently."""
        active = self.calls.active_calls()

        def bill_one(call: Call) -> tuple[int, bool]:
            try:
                return self.bill(call, now)
            except Exception:  # one call's failure must not stop the others; the next tick retries it
                logger.exception("billing a call failed", extra={"call_id": call.call_id})
                return 0, False

        results = run(bill_one, active)
        return TickReport(
            active_calls=len(active),
            minutes_charged=sum(charged for charged, _ in results),
            hung_up=sum(1 for _, hung_up in results if hung_up),
        )

    # --- money and messages --------------------------------------------------------------------
    def _hold(self, call: Call) -> Hold | None:
        try:
            return self.ledger.get_hold(call.hold_id)
        except HoldNotFound:
            return None

    def _open_hold(self, call: Call) -> Hold | None:
        hold = self._hold(call)
        return hold if hold is not None and hold.status is HoldStatus.OPEN else None

    def _charge(self, call: Call, upto: int, already: int) -> None:
        """Capture minutes already+1..upto from the hold, and credit the host's share of each (the last
        captured minute's share again too: a crash may have fallen between the two; ids make it once)."""
        share = host_share(call.rate, self.rules.host_share_percent)
        for minute in range(max(1, already), upto + 1):
            entry_id = f"{call.hold_id}:min:{minute}"
            if minute > already:
                self.ledger.capture(
                    hold_id=call.hold_id,
                    user_id=call.caller_id,
                    entry_id=entry_id,
                    amount=call.rate,
                    entry_type=EntryType.CALL_CHARGE,
                    description=f"Call minute {minute}",
                    destination=PlatformAccount.CALL_REVENUE,
                    metadata={"call_id": call.call_id, "minute": minute},
                )
            if share > 0:
                self.ledger.credit(
                    entry_id=f"{entry_id}:host",
                    user_id=call.host_id,
                    amount=share,
                    entry_type=EntryType.CALL_EARNING,
                    description=f"Call minute {minute}",
                    source=PlatformAccount.CALL_REVENUE,
                    metadata={"call_id": call.call_id, "minute": minute},
                )

    def _count_billed(self, call: Call, now: datetime) -> None:
        """The ended call's figures, counted by the one delivery that ended it, on the day it ended."""
        day = utc_day(now)
        earned = call.billed_minutes * host_share(call.rate, self.rules.host_share_percent)
        self.stats.count(day, Metric.CALL_MINUTES_BILLED, call.billed_minutes)
        self.stats.count(day, Metric.COINS_SPENT_ON_CALLS, call.charged)
        self.stats.count(day, Metric.coins(EntryType.CALL_EARNING), earned)

    def _announce_end(self, call: Call) -> None:
        message = {
            "type": "call.ended",
            "call_id": call.call_id,
            "duration_seconds": call.duration_seconds or 0,
            "minutes": call.billed_minutes,
            "charged": call.charged,
            "earned": call.billed_minutes * host_share(call.rate, self.rules.host_share_percent),
            "reason": call.end_reason,
        }
        for party in (call.caller_id, call.host_id):
            self.pusher.to_user(party, message)

    def _announce_presence(self, user_ids: tuple[str, ...]) -> None:
        for user_id in user_ids:
            self.pusher.announce_presence(user_id)


def _answer_for(call: Call) -> Dial | Refusal:
    if call.end_reason == SETUP_FAILED:
        return Refusal("failed", "The call could not be placed. Please try again.")
    return Dial(call.host_id, call.held_minutes * 60)


def call_service() -> CallService:
    """The service with the stores and settings its function was wired to (read at cold start)."""
    connections = ConnectionStore()
    return CallService(
        calls=CallStore(),
        busy=BusyStore(),
        ledger=Ledger(),
        profiles=ProfileStore(),
        connections=connections,
        pusher=Pusher(connections),
        twilio=TwilioAccount(TwilioSettings().twilio_secret_id),
        rules=BillingSettings(),  # type: ignore[call-arg]
        stats=StatsStore(),
    )
