"""The WebSocket API's messages: the contract between the pushing functions and the apps.

Clients send actions (`{"action": ...}`); the server pushes typed messages (`{"type": ...}`). Pushing code
builds one of these models and sends `message.model_dump(mode="json")` (`twtc_core.push.Pusher`), so what
is pushed is what `/asyncapi.json` documents. Amounts are integer minor units; times ISO 8601 UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

# The spec's presence states (§5); BUSY while in a call. Kept here, free of any table, so apps and tests can
# import the contract without the platform's configuration.
PresenceStatus = Literal["ONLINE", "BUSY", "OFFLINE"]
USER_ID = "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11"
HOST_ID = "9b2d41e7-05c3-4f6a-8e1b-7c3a9d2f6b40"
CALL_ID = "CA5f0e3b2a9c8d7e6f5a4b3c2d1e0f9a8b"


def _example(**example: JsonValue) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


# Client -> server


class SubscribeMessage(BaseModel):
    """Watch these users' presence: each is announced at once, then on every change."""

    model_config = _example(action="subscribe", user_ids=[HOST_ID])

    action: Literal["subscribe"]
    user_ids: list[str] = Field(min_length=1, max_length=50)


class HeartbeatMessage(BaseModel):
    """Keeps this connection counted as live (send one every few minutes while the app is open)."""

    model_config = _example(action="heartbeat")

    action: Literal["heartbeat"]


# Server -> client


class PresenceMessage(BaseModel):
    """A watched user's presence changed (or its current presence, right after subscribing)."""

    model_config = _example(type="presence", user_id=HOST_ID, status="ONLINE")

    type: Literal["presence"] = "presence"
    user_id: str
    status: PresenceStatus


class ErrorMessage(BaseModel):
    """An action this connection sent was refused (API Gateway returns nothing for one-way routes)."""

    model_config = _example(type="error", code="unknown_action", message="Unknown action 'ping'.")

    type: Literal["error"] = "error"
    code: str
    message: str


class CallStarted(BaseModel):
    """To both parties when the callee answers: the client runs the duration timer from `started_at`."""

    model_config = _example(
        type="call.started",
        call_id=CALL_ID,
        caller_id=USER_ID,
        host_id=HOST_ID,
        started_at="2026-12-05T05:20:00Z",
        rate_per_minute=1000,
    )

    type: Literal["call.started"] = "call.started"
    call_id: str
    caller_id: str
    host_id: str
    started_at: datetime
    rate_per_minute: int = Field(description="Minor units the caller pays per started minute.")


class CallTick(BaseModel):
    """To the caller each billed minute."""

    model_config = _example(
        type="call.tick", call_id=CALL_ID, elapsed_seconds=120, charged=2000, balance=24000
    )

    type: Literal["call.tick"] = "call.tick"
    call_id: str
    elapsed_seconds: int
    charged: int = Field(description="Minor units charged for this call so far.")
    balance: int = Field(description="The caller's available minor units after this charge.")


class CallLowBalance(BaseModel):
    """To the caller when fewer than the configured minutes remain: top up or the call ends."""

    model_config = _example(type="call.low_balance", call_id=CALL_ID, minutes_left=1, balance=1500)

    type: Literal["call.low_balance"] = "call.low_balance"
    call_id: str
    minutes_left: int
    balance: int


class CallEnded(BaseModel):
    """To both parties once the call has ended and been settled."""

    model_config = _example(
        type="call.ended",
        call_id=CALL_ID,
        ended_at="2026-12-05T05:24:10Z",
        duration_seconds=250,
        charged=5000,
        reason="completed",
    )

    type: Literal["call.ended"] = "call.ended"
    call_id: str
    ended_at: datetime
    duration_seconds: int
    charged: int = Field(description="Minor units the call cost the caller (per started minute).")
    reason: str = Field(description="Why it ended, e.g. `completed`, `no-answer`, `insufficient_funds`.")


class MiningWindowOpen(BaseModel):
    """To the connected users of a group when its mining window opens."""

    model_config = _example(
        type="mining.window_open", group=4, opens_at="2026-12-05T05:12:00Z", closes_at="2026-12-05T06:12:00Z"
    )

    type: Literal["mining.window_open"] = "mining.window_open"
    group: int
    opens_at: datetime
    closes_at: datetime


class MiningCompleted(BaseModel):
    """To the miner when a mining session has ended and its reward is credited."""

    model_config = _example(
        type="mining.completed", session_id="2026-12-05T01:12:00Z", reward=10000, balance=36000
    )

    type: Literal["mining.completed"] = "mining.completed"
    session_id: str
    reward: int = Field(description="Minor units credited.")
    balance: int


class GroupChanged(BaseModel):
    """To a user moved to another mining group (the weekly rebalance)."""

    model_config = _example(type="group.changed", group=7, previous_group=4)

    type: Literal["group.changed"] = "group.changed"
    group: int
    previous_group: int


class KycUpdated(BaseModel):
    """To the user when the KYC provider has decided."""

    model_config = _example(type="kyc.updated", status="VERIFIED", reason=None)

    type: Literal["kyc.updated"] = "kyc.updated"
    status: Literal["PENDING", "VERIFIED", "REJECTED"]
    reason: str | None = Field(None, description="Why it was rejected, for the user.")


CLIENT_MESSAGES: tuple[type[BaseModel], ...] = (SubscribeMessage, HeartbeatMessage)
SERVER_MESSAGES: tuple[type[BaseModel], ...] = (
    PresenceMessage,
    ErrorMessage,
    CallStarted,
    CallTick,
    CallLowBalance,
    CallEnded,
    MiningWindowOpen,
    MiningCompleted,
    GroupChanged,
    KycUpdated,
)
