"""What the content stores return. Correct answers are part of these records: only admin views and the
server-side checks read them; user-facing views leave them out (their response models have no field)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

OPTIONS = ("A", "B", "C", "D")


class TaskCategory(StrEnum):
    AD = "AD"
    CONTENT = "CONTENT"
    QUIZ = "QUIZ"
    SOCIAL = "SOCIAL"


@dataclass(frozen=True)
class Question:
    text: str
    options: dict[str, str]  # exactly A-D
    correct_option: str


@dataclass(frozen=True)
class Video:
    video_id: str
    title: str
    country: str  # ISO 3166-1 alpha-2
    place: str
    category: str
    duration_seconds: int
    boost_multiplier_percent: int  # 110-200: a boost multiplies the session's reward by this / 100
    video_url: str
    thumbnail_url: str
    question: Question
    active: bool
    created_at: str


@dataclass(frozen=True)
class QuizQuestion:
    question_id: str
    topic: str
    question: Question
    active: bool
    created_at: str


@dataclass(frozen=True)
class TaskType:
    task_type_id: str
    category: TaskCategory
    title: str
    min_seconds: int
    reward: int  # minor units
    active: bool
    body: str | None  # what a CONTENT task has the user read
    created_at: str
