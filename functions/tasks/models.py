"""The tasks API's request and response shapes (they also feed the OpenAPI document). No shape has a
field for a quiz's correct option: users never see it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from twtc_core.tasks.models import Achievement, DayTask, TaskAd

TASK_EXAMPLE: JsonDict = {
    "id": "01JDX6W3Q9G8ZP4N7C2B5M1K0H",
    "type": "QUIZ",
    "title": "Quiz: world capitals",
    "reward": 100,
    "min_seconds": 5,
    "status": "STARTED",
}


class TaskOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [TASK_EXAMPLE]})

    id: str
    type: Literal["AD", "CONTENT", "QUIZ", "SOCIAL"]
    title: str
    reward: int = Field(description="Minor units (1 TWTC = 100), credited as a TASK entry on completion.")
    min_seconds: int = Field(description="Seconds that must pass on the server between start and complete.")
    status: Literal["PENDING", "STARTED", "COMPLETED", "FAILED"] = Field(
        description="FAILED: a QUIZ task answered wrong on its last attempt."
    )

    @classmethod
    def of(cls, task: DayTask) -> TaskOut:
        return cls(
            id=task.id,
            type=task.type.value,
            title=task.title,
            reward=task.reward,
            min_seconds=task.min_seconds,
            status=task.status.value,
        )


class TodayOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"day": "2026-11-25", "items": [TASK_EXAMPLE]}]}
    )

    day: str = Field(description="The UTC day these tasks belong to.")
    items: list[TaskOut]


class QuestionOut(BaseModel):
    question_id: str
    text: str
    options: dict[str, str] = Field(description="Exactly A, B, C and D.")


class ContentOut(BaseModel):
    body: str


class AdOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "impression_id": "01JEXAMPLE0IMPRESSION00000",
                    "network": "ADMOB",
                    "ad_unit_id": "task-rewarded-15",
                    "network_ad_unit_id": "ca-app-pub-3940256099942544/5224354917",
                    "min_watch_seconds": 15,
                }
            ]
        }
    )

    impression_id: str
    network: str
    ad_unit_id: str
    network_ad_unit_id: str = Field(description="The id to load the ad with in the network's SDK.")
    min_watch_seconds: int = Field(description="The task's minimum time: completing it earlier is 422.")

    @classmethod
    def of(cls, ad: TaskAd) -> AdOut:
        return cls(
            impression_id=ad.impression_id,
            network=ad.network,
            ad_unit_id=ad.ad_unit_id,
            network_ad_unit_id=ad.network_ad_unit_id,
            min_watch_seconds=ad.min_watch_seconds,
        )


class StartedOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "task": TASK_EXAMPLE,
                    "started_at": "2026-11-25T09:00:00.000Z",
                    "question": {
                        "question_id": "capitals-01",
                        "text": "What is the capital of Australia?",
                        "options": {"A": "Sydney", "B": "Melbourne", "C": "Canberra", "D": "Perth"},
                    },
                    "content": None,
                    "ad": None,
                }
            ]
        }
    )

    task: TaskOut
    started_at: str = Field(description="The server's start time; completion counts from it.")
    question: QuestionOut | None = Field(description="QUIZ tasks: the question to answer on completion.")
    content: ContentOut | None = Field(description="CONTENT tasks: what to read.")
    ad: AdOut | None = Field(
        default=None,
        description="AD tasks: the ad impression (placement TASK) to show; completing the task spends it "
        "(the client need not complete it through /v1/ads).",
    )


class CompleteIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"option": "C"}, {}]})

    option: Literal["A", "B", "C", "D"] | None = Field(default=None, description="QUIZ tasks: the answer.")


class CompletedOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"task": {**TASK_EXAMPLE, "status": "COMPLETED"}, "credited": 100, "daily_bonus": 0}]
        }
    )

    task: TaskOut
    credited: int = Field(description="The task's reward, in minor units.")
    daily_bonus: int = Field(
        description="The TASK_BONUS credited by this completion (the day's last), else 0."
    )


class AchievementOut(BaseModel):
    name: str
    day: str
    awarded_at: str

    @classmethod
    def of(cls, achievement: Achievement) -> AchievementOut:
        return cls(name=achievement.name, day=achievement.day, awarded_at=achievement.awarded_at)


class AchievementsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "name": "daily_champion",
                            "day": "2026-11-25",
                            "awarded_at": "2026-11-25T18:42:10.120Z",
                        }
                    ]
                }
            ]
        }
    )

    items: list[AchievementOut]
