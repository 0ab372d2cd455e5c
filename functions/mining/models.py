"""The mining API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import JsonDict

from twtc_core.clock import iso
from twtc_core.earning.mining import MiningState, MiningView
from twtc_core.earning.models import MiningSession, SessionStatus

SESSION_EXAMPLE: JsonDict = {
    "id": "01JEXAMPLE0SESSION000000000",
    "started_at": "2026-11-25T09:05:00.000Z",
    "ends_at": "2026-11-25T13:05:00.000Z",
    "base_reward": 10000,
    "boost_multiplier": 100,
    "reward": 10000,
    "status": "ACTIVE",
}


class MiningStartIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"impression_id": "01JEXAMPLE0IMPRESSION00000"}]}
    )

    impression_id: str = Field(min_length=1, max_length=64, description="A completed MINING impression.")


class SessionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SESSION_EXAMPLE]})

    id: str
    started_at: str
    ends_at: str
    base_reward: int = Field(description="Minor units the session earns before any boost.")
    boost_multiplier: int = Field(description="Integer percent: 100 = x1.0, 150 = x1.5.")
    reward: int = Field(
        description="What the session earns in all: base_reward x boost_multiplier / 100 (the base as MINING "
        "at its end, each answered boost as BOOST at once)."
    )
    status: SessionStatus

    @classmethod
    def from_session(cls, session: MiningSession) -> SessionOut:
        return cls(
            id=session.session_id,
            started_at=iso(session.started_at),
            ends_at=iso(session.ends_at),
            base_reward=session.base_reward,
            boost_multiplier=session.boost_multiplier,
            reward=session.reward,
            status=session.status,
        )


class MiningOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "state": "ACTIVE",
                    "group": 3,
                    "session": SESSION_EXAMPLE,
                    "accrued": 2500,
                    "next_window_at": "2026-11-25T12:48:00.000Z",
                    "window_closes_at": None,
                }
            ]
        }
    )

    state: MiningState
    group: int = Field(description="My mining group 1-10.")
    session: SessionOut | None = Field(description="My current or last session.")
    accrued: int = Field(description="Earned so far by that session (minor units, computed now).")
    next_window_at: str = Field(description="When my group's next window opens.")
    window_closes_at: str | None = Field(description="When my group's open window closes (if one is).")

    @classmethod
    def from_view(cls, view: MiningView) -> MiningOut:
        return cls(
            state=view.state,
            group=view.group,
            session=SessionOut.from_session(view.session) if view.session else None,
            accrued=view.accrued,
            next_window_at=iso(view.next_window_at),
            window_closes_at=iso(view.window_closes_at) if view.window_closes_at else None,
        )
