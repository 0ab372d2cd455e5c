"""The admin trust API's shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EVENT_EXAMPLE: dict[str, Any] = {
    "event_id": "3f1c0d9e8b7a6f5e4d3c2b1a09876543",
    "user_id": "6f1c9a2e-1111-4a5b-9c3d-000000000001",
    "type": "IMPOSSIBLE_TRAVEL",
    "severity": "HIGH",
    "status": "OPEN",
    "evidence": {"distance_km": 7195, "speed_kmh": 43170},
    "created_at": "2026-11-25T09:10:00Z",
    "note": None,
    "reviewed_by": None,
}


class FraudEventOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EVENT_EXAMPLE]})

    event_id: str
    user_id: str
    type: str
    severity: Literal["LOW", "MEDIUM", "HIGH", "CRITICAL"]
    status: Literal["OPEN", "CONFIRMED", "DISMISSED"]
    evidence: dict[str, Any]
    created_at: datetime
    note: str | None = None
    reviewed_by: str | None = None


class FraudEventsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EVENT_EXAMPLE], "next_cursor": None}]}
    )

    items: list[FraudEventOut]
    next_cursor: str | None = None


class ResolveIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"action": "dismiss", "note": "Same household, checked with the user."}]
        }
    )

    action: Literal["dismiss", "confirm"]
    note: str = Field(min_length=1, max_length=1000)


class LevelIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"level": 3, "note": "Pattern seen in ticket 4711."}]}
    )

    level: int = Field(ge=1, le=4)
    note: str = Field(min_length=1, max_length=1000)


class TrustOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "6f1c9a2e-1111-4a5b-9c3d-000000000001", "score": 45, "alert_level": 2}]
        }
    )

    user_id: str
    score: int = Field(ge=0, le=100)
    alert_level: int = Field(ge=1, le=4)
