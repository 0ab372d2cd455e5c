"""The quiz bank QUIZ tasks draw from: QUIZ / QUIZ#<question_id>."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.content._table import (
    CatalogStore,
    ContentTable,
    QuestionAttribute,
    question_attribute,
    question_of,
)
from twtc_core.content.models import QuizQuestion


class _QuizItem(Model):
    class Meta(ContentTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    question_id = UnicodeAttribute()
    topic = UnicodeAttribute()
    question = QuestionAttribute()
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()


class QuizStore(CatalogStore[QuizQuestion, _QuizItem]):
    model = _QuizItem
    partition = "QUIZ"
    prefix = "QUIZ#"

    def active(self) -> list[QuizQuestion]:
        return self.all([_QuizItem.active == True])  # noqa: E712  (a PynamoDB condition)

    def _item(self, record: QuizQuestion) -> _QuizItem:
        return _QuizItem(
            self.partition,
            self._sort_key(record.question_id),
            question_id=record.question_id,
            topic=record.topic,
            question=question_attribute(record.question),
            active=record.active,
            created_at=record.created_at,
        )

    def _record(self, item: _QuizItem) -> QuizQuestion:
        return QuizQuestion(
            question_id=item.question_id,
            topic=item.topic,
            question=question_of(item.question),
            active=bool(item.active),
            created_at=item.created_at,
        )
