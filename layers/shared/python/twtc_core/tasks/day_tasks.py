"""A user's tasks of one UTC day: USER#<user>#DAY#<date> / TASKS, all 20 in one item (one read lists
them, one conditional write changes them). `version` guards every change; the item expires (TTL) after
`KEEP_DAYS`, which archives old days without a job."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.clock import epoch_days_after
from twtc_core.content.models import TaskCategory
from twtc_core.dynamo import Check, Transaction
from twtc_core.tasks._table import TasksTable, user_day_key
from twtc_core.tasks.models import DayTask, DayTasks, TaskAd, TaskQuestion, TaskStatus

TASKS_SK = "TASKS"
KEEP_DAYS = 35


class _DayTasksItem(Model):
    class Meta(TasksTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=TASKS_SK)
    user_id = UnicodeAttribute()
    day = UnicodeAttribute()
    tasks = JSONAttribute()
    version = NumberAttribute()
    expires_at = NumberAttribute()


def _task(stored: dict[str, Any]) -> DayTask:
    question, ad = stored.get("question"), stored.get("ad")
    return DayTask(
        **{
            **stored,
            "type": TaskCategory(stored["type"]),
            "status": TaskStatus(stored["status"]),
            "question": TaskQuestion(**question) if question else None,
            "ad": TaskAd(**ad) if ad else None,
        }
    )


def _item(day_tasks: DayTasks, version: int) -> _DayTasksItem:
    return _DayTasksItem(
        user_day_key(day_tasks.user_id, day_tasks.day),
        TASKS_SK,
        user_id=day_tasks.user_id,
        day=day_tasks.day,
        tasks=[asdict(task) for task in day_tasks.tasks],
        version=version,
        expires_at=epoch_days_after(day_tasks.day, KEEP_DAYS),
    )


class DayTaskStore:
    def get(self, user_id: str, day: str) -> DayTasks | None:
        try:
            item = _DayTasksItem.get(user_day_key(user_id, day), TASKS_SK, consistent_read=True)
        except _DayTasksItem.DoesNotExist:
            return None
        return DayTasks(item.user_id, item.day, tuple(_task(task) for task in item.tasks), int(item.version))

    def create_with(self, writes: Transaction, day_tasks: DayTasks) -> Check | None:
        """The day's first set; the check fails when the day has one already (a concurrent first read)."""
        return writes.put(_item(day_tasks, version=1), _DayTasksItem.pk.does_not_exist())

    def save_with(self, writes: Transaction, day_tasks: DayTasks) -> Check | None:
        """The changed set as its next version; the check fails when it changed since it was read."""
        return writes.put(_item(day_tasks, day_tasks.version + 1), _DayTasksItem.version == day_tasks.version)
