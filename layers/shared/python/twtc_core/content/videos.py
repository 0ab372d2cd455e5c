"""Tourism videos: VIDEO / VIDEO#<video_id>, each with its multiple-choice question."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from twtc_core.content._table import (
    CatalogStore,
    ContentTable,
    QuestionAttribute,
    question_attribute,
    question_of,
)
from twtc_core.content.models import Video


class _VideoItem(Model):
    class Meta(ContentTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    video_id = UnicodeAttribute()
    title = UnicodeAttribute()
    country = UnicodeAttribute()
    place = UnicodeAttribute()
    category = UnicodeAttribute()
    duration_seconds = NumberAttribute()
    boost_multiplier_percent = NumberAttribute()
    video_url = UnicodeAttribute()
    thumbnail_url = UnicodeAttribute()
    question = QuestionAttribute()
    active = BooleanAttribute(default=True)
    created_at = UnicodeAttribute()


class VideoStore(CatalogStore[Video, _VideoItem]):
    model = _VideoItem
    partition = "VIDEO"
    prefix = "VIDEO#"

    def catalog_page(
        self, limit: int, cursor: str | None, *, country: str | None, category: str | None
    ) -> tuple[list[Video], str | None]:
        """What users browse: active videos, optionally of one country and category."""
        conditions: list[Condition] = [_VideoItem.active == True]  # noqa: E712  (a PynamoDB condition)
        if country is not None:
            conditions.append(_VideoItem.country == country)
        if category is not None:
            conditions.append(_VideoItem.category == category)
        return self.page(limit, cursor, conditions)

    def _item(self, record: Video) -> _VideoItem:
        return _VideoItem(
            self.partition,
            self._sort_key(record.video_id),
            video_id=record.video_id,
            title=record.title,
            country=record.country,
            place=record.place,
            category=record.category,
            duration_seconds=record.duration_seconds,
            boost_multiplier_percent=record.boost_multiplier_percent,
            video_url=record.video_url,
            thumbnail_url=record.thumbnail_url,
            question=question_attribute(record.question),
            active=record.active,
            created_at=record.created_at,
        )

    def _record(self, item: _VideoItem) -> Video:
        return Video(
            video_id=item.video_id,
            title=item.title,
            country=item.country,
            place=item.place,
            category=item.category,
            duration_seconds=int(item.duration_seconds),
            boost_multiplier_percent=int(item.boost_multiplier_percent),
            video_url=item.video_url,
            thumbnail_url=item.thumbnail_url,
            question=question_of(item.question),
            active=bool(item.active),
            created_at=item.created_at,
        )
