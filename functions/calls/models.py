"""The calls API's response shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, JsonValue

from twtc_core.calls.models import Call

CALL_EXAMPLE: dict[str, JsonValue] = {
    "call_id": "3f0f2b8e-6d1c-5a7e-9b2d-4c8f1e0a7b61",
    "caller_id": "6f1c9a2e-1111-4a5b-9c3d-000000000001",
    "host_id": "6f1c9a2e-2222-4a5b-9c3d-000000000002",
    "status": "ENDED",
    "rate": 1000,
    "created_at": "2026-11-25T09:00:00.000Z",
    "started_at": "2026-11-25T09:00:05.000Z",
    "ended_at": "2026-11-25T09:02:15.000Z",
    "duration_seconds": 130,
    "billed_minutes": 3,
    "charged": 3000,
    "end_reason": "completed",
}


class VoiceTokenOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2lnbmF0dXJl",
                    "identity": "6f1c9a2e-1111-4a5b-9c3d-000000000001",
                    "expires_at": "2026-11-25T10:00:00.000Z",
                }
            ]
        }
    )

    token: str  # a Twilio access token with a Voice grant, for the Voice SDK's Device
    identity: str  # the caller's user id: what hosts are dialed by (<Client>)
    expires_at: datetime


class CallOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CALL_EXAMPLE]})

    call_id: str
    caller_id: str
    host_id: str
    status: str  # RINGING | ACTIVE | ENDED
    rate: int  # per minute, minor units
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    billed_minutes: int
    charged: int
    end_reason: str | None

    @classmethod
    def from_call(cls, call: Call) -> CallOut:
        return cls(
            call_id=call.call_id,
            caller_id=call.caller_id,
            host_id=call.host_id,
            status=call.status.value,
            rate=call.rate,
            created_at=call.created_at,
            started_at=call.started_at,
            ended_at=call.ended_at,
            duration_seconds=call.duration_seconds,
            billed_minutes=call.billed_minutes,
            charged=call.charged,
            end_reason=call.end_reason,
        )


class CallPageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [CALL_EXAMPLE], "next_cursor": None}]}
    )

    items: list[CallOut]
    next_cursor: str | None
