"""Videos a user used for a boost on a UTC day: USER#<user>#DAY#<date> / VIDEO#<video_id>, one item per
video (written by the boost flow, with its boost, in one transaction); they expire after `KEEP_DAYS`.
`GET /v1/videos` reads the day's markers in one Query to show `used_today`."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.clock import epoch_days_after
from twtc_core.dynamo import Check, Transaction
from twtc_core.tasks._table import TasksTable, user_day_key

VIDEO_PREFIX = "VIDEO#"
KEEP_DAYS = 2


class _UsedVideoItem(Model):
    class Meta(TasksTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    boost_id = UnicodeAttribute()
    used_at = UnicodeAttribute()
    expires_at = NumberAttribute()


class UsedVideoStore:
    def used_on(self, user_id: str, day: str) -> frozenset[str]:
        """The ids of the videos the user used on that day."""
        markers = _UsedVideoItem.query(user_day_key(user_id, day), _UsedVideoItem.sk.startswith(VIDEO_PREFIX))
        return frozenset(marker.sk.removeprefix(VIDEO_PREFIX) for marker in markers)

    def mark_used_with(
        self, writes: Transaction, user_id: str, day: str, video_id: str, *, boost_id: str, used_at: str
    ) -> Check | None:
        """Record the video used today by this boost; the check fails when it was used today already."""
        marker = _UsedVideoItem(
            user_day_key(user_id, day),
            f"{VIDEO_PREFIX}{video_id}",
            boost_id=boost_id,
            used_at=used_at,
            expires_at=epoch_days_after(day, KEEP_DAYS),
        )
        return writes.put(marker, _UsedVideoItem.pk.does_not_exist())
