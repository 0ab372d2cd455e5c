"""What every content store shares: the table, the stored question shape, and one catalog partition's
reads and writes (each aggregate's store says only how its records are stored)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import reduce
from typing import Any, Generic, TypeVar

from pynamodb.attributes import MapAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from twtc_core.content.models import Question
from twtc_core.dynamo import CONDITION_FAILED, put_if
from twtc_core.pagination import encode_cursor, resume_key
from twtc_core.settings import TABLES

Item = TypeVar("Item", bound=Model)
Record = TypeVar("Record")


class ContentTable:
    """PynamoDB `Meta` of every content-table model."""

    table_name = TABLES.content_table_name
    region = TABLES.aws_region


class QuestionAttribute(MapAttribute[str, Any]):
    text = UnicodeAttribute()
    options = MapAttribute[str, str]()
    correct_option = UnicodeAttribute()


def question_attribute(question: Question) -> QuestionAttribute:
    return QuestionAttribute(
        text=question.text, options=dict(question.options), correct_option=question.correct_option
    )


def question_of(stored: QuestionAttribute) -> Question:
    options = stored.options.as_dict() if isinstance(stored.options, MapAttribute) else stored.options
    return Question(text=stored.text, options=dict(options), correct_option=stored.correct_option)


def all_of(conditions: list[Condition]) -> Condition | None:
    return reduce(lambda left, right: left & right, conditions) if conditions else None


class CatalogStore(ABC, Generic[Record, Item]):
    """One partition of the catalog, `<partition> / <prefix><id>`: get, page, create, replace, delete."""

    model: type[Item]
    partition: str
    prefix: str

    @abstractmethod
    def _item(self, record: Record) -> Item: ...

    @abstractmethod
    def _record(self, item: Item) -> Record: ...

    def _sort_key(self, record_id: str) -> str:
        return f"{self.prefix}{record_id}"

    def get(self, record_id: str) -> Record | None:
        try:
            return self._record(self.model.get(self.partition, self._sort_key(record_id)))
        except self.model.DoesNotExist:
            return None

    def page(
        self, limit: int, cursor: str | None, conditions: list[Condition] | None = None
    ) -> tuple[list[Record], str | None]:
        """One page in id order and the cursor of the next. With `conditions` a page may hold fewer than
        `limit` records (DynamoDB filters after reading); the cursor still moves on."""
        start_key = resume_key(cursor, key_names=("pk", "sk"), partition=("pk", self.partition))
        results = self.model.query(
            self.partition,
            filter_condition=all_of(conditions or []),
            limit=limit,
            last_evaluated_key=start_key,
        )
        records = [self._record(item) for item in results]
        return records, encode_cursor(results.last_evaluated_key)

    def all(self, conditions: list[Condition] | None = None) -> list[Record]:
        """The whole partition (small by design: task types, the quiz bank), every page."""
        return [
            self._record(item)
            for item in self.model.query(self.partition, filter_condition=all_of(conditions or []))
        ]

    def create(self, record: Record) -> bool:
        """False when a record with this id exists (nothing written)."""
        return put_if(self._item(record), self.model.sk.does_not_exist())  # type: ignore[attr-defined]

    def replace(self, record: Record) -> bool:
        """Store the changed record; False when it no longer exists (nothing written)."""
        return put_if(self._item(record), self.model.sk.exists())  # type: ignore[attr-defined]

    def delete(self, record_id: str) -> bool:
        """False when there was nothing to delete."""
        item = self.model(self.partition, self._sort_key(record_id))
        try:
            item.delete(condition=self.model.sk.exists())  # type: ignore[attr-defined]
        except DeleteError as error:
            if error.cause_response_code == CONDITION_FAILED:
                return False
            raise
        return True
