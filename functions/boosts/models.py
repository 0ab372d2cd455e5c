"""The boosts API's request and response shapes (they also feed the OpenAPI document). No shape has a
field for the correct option: users never see it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from functions.boosts.logic import Answered
from twtc_core.tasks.boosts import Boost

BOOST_ID = "01JEXAMPLE0BOOST00000000000"
Option = Literal["A", "B", "C", "D"]


class BoostStartIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"video_id": "taj-mahal"}]})

    video_id: str = Field(min_length=1, max_length=64, description="An active video not used today.")


class BoostOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": BOOST_ID, "video_id": "taj-mahal", "watch_until": "2026-11-25T09:07:00.000Z"}]
        }
    )

    id: str
    video_id: str
    watch_until: str = Field(
        description="When the video has played out on the server; ask the question then."
    )

    @classmethod
    def of(cls, boost: Boost) -> BoostOut:
        return cls(id=boost.boost_id, video_id=boost.video_id, watch_until=boost.watch_until)


class BoostQuestionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "question": "In which city is the Taj Mahal?",
                    "options": {"A": "Delhi", "B": "Agra", "C": "Jaipur", "D": "Mumbai"},
                    "answer_by": "2026-11-25T09:07:30.000Z",
                }
            ]
        }
    )

    question: str
    options: dict[str, str] = Field(description="Exactly A, B, C and D.")
    answer_by: str = Field(description="The answer counts only until then (30 s after the first ask).")

    @classmethod
    def of(cls, boost: Boost) -> BoostQuestionOut:
        return cls(
            question=boost.question.text,
            options=dict(boost.question.options),
            answer_by=boost.answer_by or "",
        )


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"option": "B"}]})

    option: Option


class AnswerOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": BOOST_ID, "correct": True, "credited": 5000, "session_multiplier_added": 50}]
        }
    )

    id: str
    correct: bool = Field(description="Right and within the 30 s; a wrong or late answer credits nothing.")
    credited: int = Field(
        description="Minor units credited as a BOOST entry: base_reward x (multiplier - 1)."
    )
    session_multiplier_added: int = Field(
        description="Integer percent points added to the session's boost_multiplier (0 unless correct)."
    )

    @classmethod
    def of(cls, answered: Answered) -> AnswerOut:
        return cls(
            id=answered.boost.boost_id,
            correct=bool(answered.boost.correct),
            credited=answered.credited,
            session_multiplier_added=answered.session_multiplier_added,
        )
