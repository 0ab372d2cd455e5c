"""What the tasks stores return: frozen records. A task's correct quiz option is here for the server's
check only; no user-facing view has a field for it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from twtc_core.content.models import TaskCategory

DAILY_CHAMPION = "daily_champion"


class TaskStatus(StrEnum):
    PENDING = "PENDING"
    STARTED = "STARTED"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"  # a QUIZ task answered wrong on its last attempt


@dataclass(frozen=True)
class TaskQuestion:
    question_id: str
    text: str
    options: dict[str, str]
    correct_option: str


@dataclass(frozen=True)
class TaskAd:
    """The ad impression (placement TASK) an AD task's start issued; its completion spends it."""

    impression_id: str
    network: str
    ad_unit_id: str
    network_ad_unit_id: str
    min_watch_seconds: int


@dataclass(frozen=True)
class DayTask:
    id: str
    type: TaskCategory
    task_type_id: str
    title: str
    reward: int
    min_seconds: int
    status: TaskStatus = TaskStatus.PENDING
    started_at: str | None = None
    completed_at: str | None = None
    wrong_answers: int = 0
    body: str | None = None  # CONTENT: what to read
    question: TaskQuestion | None = None  # QUIZ: drawn from the bank when the day's set was made
    ad: TaskAd | None = None  # AD: issued at start


@dataclass(frozen=True)
class DayTasks:
    """A user's tasks of one UTC day, stored as one item: `version` makes every change conditional on
    the set being unchanged since it was read."""

    user_id: str
    day: str
    tasks: tuple[DayTask, ...]
    version: int = 0

    def find(self, task_id: str) -> DayTask | None:
        return next((task for task in self.tasks if task.id == task_id), None)

    def with_task(self, changed: DayTask) -> DayTasks:
        return replace(self, tasks=tuple(changed if task.id == changed.id else task for task in self.tasks))

    @property
    def completed(self) -> int:
        return sum(task.status is TaskStatus.COMPLETED for task in self.tasks)

    @property
    def all_completed(self) -> bool:
        return bool(self.tasks) and self.completed == len(self.tasks)


@dataclass(frozen=True)
class Achievement:
    name: str
    day: str
    awarded_at: str
