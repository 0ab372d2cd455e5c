"""The admin content API's shapes: validated inputs (create: every field; PATCH: any of them) and
outputs that include the correct answers (admins only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator
from pydantic.config import JsonDict

from twtc_core.content.models import OPTIONS, Question, QuizQuestion, TaskCategory, TaskType, Video
from twtc_core.content.views import VIDEO_EXAMPLE as VIEW_EXAMPLE
from twtc_core.content.views import VideoView

ContentId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$", examples=["taj-mahal"])]
Label = Annotated[str, Field(min_length=1, max_length=200)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["IN"])]
VideoCategory = Annotated[str, Field(pattern=r"^[A-Z_]{1,32}$", examples=["HERITAGE"])]
Multiplier = Annotated[int, Field(ge=110, le=200, description="Integer percent: 150 = x1.5.")]
Duration = Annotated[int, Field(ge=5, le=3600, description="Seconds.")]
MinSeconds = Annotated[int, Field(ge=1, le=600, description="Seconds between start and complete.")]
Reward = Annotated[int, Field(gt=0, le=1_000_000, description="Minor units (1 TWTC = 100).")]
Option = Literal["A", "B", "C", "D"]

QUESTION_EXAMPLE: JsonDict = {
    "text": "Which emperor commissioned the Taj Mahal?",
    "options": {"A": "Akbar", "B": "Shah Jahan", "C": "Aurangzeb", "D": "Babur"},
    "correct_option": "B",
}
VIDEO_EXAMPLE: JsonDict = {**VIEW_EXAMPLE, "question": QUESTION_EXAMPLE, "active": True}
QUIZ_EXAMPLE: JsonDict = {
    "question_id": "capitals-01",
    "topic": "capitals",
    "question": {
        "text": "What is the capital of Australia?",
        "options": {"A": "Sydney", "B": "Melbourne", "C": "Canberra", "D": "Perth"},
        "correct_option": "C",
    },
    "active": True,
}
TASK_TYPE_EXAMPLE: JsonDict = {
    "task_type_id": "ad-sponsor-15",
    "category": "AD",
    "title": "Watch a short sponsor video",
    "min_seconds": 15,
    "reward": 50,
    "active": True,
    "body": None,
}


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [QUESTION_EXAMPLE]})

    text: Annotated[str, Field(min_length=1, max_length=500)]
    options: dict[Option, Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        description="Exactly A, B, C and D."
    )
    correct_option: Option

    @model_validator(mode="after")
    def four_options(self) -> QuestionIn:
        if set(self.options) != set(OPTIONS):
            raise ValueError("options must be exactly A, B, C and D")
        return self

    def question(self) -> Question:
        return Question(
            text=self.text,
            options={str(key): value for key, value in self.options.items()},
            correct_option=self.correct_option,
        )

    @classmethod
    def of(cls, question: Question) -> QuestionIn:
        return cls.model_validate(
            {"text": question.text, "options": question.options, "correct_option": question.correct_option}
        )


def _domain_value(value: Any) -> Any:
    if isinstance(value, HttpUrl):
        return str(value)
    if isinstance(value, QuestionIn):
        return value.question()
    return value


class _Changes(BaseModel):
    """An input as the domain record's fields: those a PATCH sets (a null sets nothing, except a task
    type's `body`, which it removes), or all of them."""

    model_config = ConfigDict(extra="forbid")

    def changes(self) -> dict[str, Any]:
        given = {name: getattr(self, name) for name in self.model_fields_set}
        return {
            name: _domain_value(value) for name, value in given.items() if value is not None or name == "body"
        }

    def values(self) -> dict[str, Any]:
        return {name: _domain_value(getattr(self, name)) for name in type(self).model_fields}


class VideoPatch(_Changes):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"boost_multiplier_percent": 180}]}
    )

    title: Label | None = None
    country: Country | None = None
    place: Label | None = None
    category: VideoCategory | None = None
    duration_seconds: Duration | None = None
    boost_multiplier_percent: Multiplier | None = None
    video_url: HttpUrl | None = None
    thumbnail_url: HttpUrl | None = None
    question: QuestionIn | None = None
    active: bool | None = None


class VideoIn(VideoPatch):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [VIDEO_EXAMPLE]})

    video_id: ContentId
    title: Label
    country: Country
    place: Label
    category: VideoCategory
    duration_seconds: Duration
    boost_multiplier_percent: Multiplier
    video_url: HttpUrl
    thumbnail_url: HttpUrl
    question: QuestionIn
    active: bool = True

    def record(self, created_at: str) -> Video:
        return Video(**self.values(), created_at=created_at)


class VideoAdminOut(VideoView):
    model_config = ConfigDict(json_schema_extra={"examples": [VIDEO_EXAMPLE]})

    question: QuestionIn = Field(description="With its correct option: admins only.")
    active: bool

    @classmethod
    def of(cls, video: Video) -> VideoAdminOut:
        return cls(**VideoView.fields_of(video), question=QuestionIn.of(video.question), active=video.active)


class QuizPatch(_Changes):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"active": False}]})

    topic: Label | None = None
    question: QuestionIn | None = None
    active: bool | None = None


class QuizIn(QuizPatch):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [QUIZ_EXAMPLE]})

    question_id: ContentId
    topic: Label
    question: QuestionIn
    active: bool = True

    def record(self, created_at: str) -> QuizQuestion:
        return QuizQuestion(**self.values(), created_at=created_at)


class QuizAdminOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [QUIZ_EXAMPLE]})

    question_id: str
    topic: str
    question: QuestionIn = Field(description="With its correct option: admins only.")
    active: bool

    @classmethod
    def of(cls, quiz: QuizQuestion) -> QuizAdminOut:
        return cls(
            question_id=quiz.question_id,
            topic=quiz.topic,
            question=QuestionIn.of(quiz.question),
            active=quiz.active,
        )


class TaskTypePatch(_Changes):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reward": 75, "active": True}]}
    )

    title: Label | None = None
    min_seconds: MinSeconds | None = None
    reward: Reward | None = None
    active: bool | None = None
    body: Annotated[str, Field(min_length=1, max_length=5000)] | None = None


class TaskTypeIn(TaskTypePatch):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [TASK_TYPE_EXAMPLE]})

    task_type_id: ContentId
    category: Literal["AD", "CONTENT", "QUIZ", "SOCIAL"]
    title: Label
    min_seconds: MinSeconds
    reward: Reward
    active: bool = True

    def record(self, created_at: str) -> TaskType:
        return TaskType(**{**self.values(), "category": TaskCategory(self.category)}, created_at=created_at)


class TaskTypeAdminOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [TASK_TYPE_EXAMPLE]})

    task_type_id: str
    category: Literal["AD", "CONTENT", "QUIZ", "SOCIAL"]
    title: str
    min_seconds: int
    reward: int
    active: bool
    body: str | None

    @classmethod
    def of(cls, task_type: TaskType) -> TaskTypeAdminOut:
        return cls(
            task_type_id=task_type.task_type_id,
            category=task_type.category.value,
            title=task_type.title,
            min_seconds=task_type.min_seconds,
            reward=task_type.reward,
            active=task_type.active,
            body=task_type.body,
        )


class VideoAdminPageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [VIDEO_EXAMPLE], "next_cursor": None}]}
    )

    items: list[VideoAdminOut]
    next_cursor: str | None


class QuizPageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [QUIZ_EXAMPLE], "next_cursor": None}]}
    )

    items: list[QuizAdminOut]
    next_cursor: str | None


class TaskTypePageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [TASK_TYPE_EXAMPLE], "next_cursor": None}]}
    )

    items: list[TaskTypeAdminOut]
    next_cursor: str | None
