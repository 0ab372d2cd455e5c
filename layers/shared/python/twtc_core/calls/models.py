"""What the call stores hand out: frozen records, never the stored items behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CallStatus(StrEnum):
    RINGING = "RINGING"  # our TwiML dialed the host; the hold is placed
    ACTIVE = "ACTIVE"  # the host answered: minutes are billed from started_at
    ENDED = "ENDED"  # settled: started minutes captured, the rest of the hold released


@dataclass(frozen=True)
class Call:
    call_id: str
    call_sid: str
    caller_id: str
    host_id: str
    rate: int  # the host's price per minute when the call was placed
    held_minutes: int  # what the hold pays for: Dial timeLimit = held_minutes * 60
    status: CallStatus
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    billed_minutes: int
    end_reason: str | None

    @property
    def hold_id(self) -> str:
        return f"call:{self.call_id}"

    @property
    def hold_amount(self) -> int:
        return self.held_minutes * self.rate

    @property
    def charged(self) -> int:
        return self.billed_minutes * self.rate

    def is_party(self, user_id: str) -> bool:
        return user_id in (self.caller_id, self.host_id)
