"""Task types: TASK_TYPE / TASK_TYPE#<task_type_id> (AD | CONTENT | QUIZ | SOCIAL; SOCIAL starts inactive)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.content._table import CatalogStore, ContentTable
from twtc_core.content.models import TaskCategory, TaskType


class _TaskTypeItem(Model):
    class Meta(ContentTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    task_type_id = UnicodeAttribute()
    category = UnicodeAttribute()
    title = UnicodeAttribute()
    min_seconds = NumberAttribute()
    reward = NumberAttribute()
    active = BooleanAttribute(default=True)
    body = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class TaskTypeStore(CatalogStore[TaskType, _TaskTypeItem]):
    model = _TaskTypeItem
    partition = "TASK_TYPE"
    prefix = "TASK_TYPE#"

    def active(self) -> list[TaskType]:
        return self.all([_TaskTypeItem.active == True])  # noqa: E712  (a PynamoDB condition)

    def _item(self, record: TaskType) -> _TaskTypeItem:
        return _TaskTypeItem(
            self.partition,
            self._sort_key(record.task_type_id),
            task_type_id=record.task_type_id,
            category=record.category.value,
            title=record.title,
            min_seconds=record.min_seconds,
            reward=record.reward,
            active=record.active,
            body=record.body,
            created_at=record.created_at,
        )

    def _record(self, item: _TaskTypeItem) -> TaskType:
        return TaskType(
            task_type_id=item.task_type_id,
            category=TaskCategory(item.category),
            title=item.title,
            min_seconds=int(item.min_seconds),
            reward=int(item.reward),
            active=bool(item.active),
            body=item.body,
            created_at=item.created_at,
        )
