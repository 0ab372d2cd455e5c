"""Achievements: USER#<user> / ACHIEVEMENT#<date>#<name>, written once (e.g. `daily_champion` for a day
whose 20 tasks were all completed); listed newest first with one Query."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from twtc_core.dynamo import Transaction
from twtc_core.tasks._table import TasksTable
from twtc_core.tasks.models import Achievement

PREFIX = "ACHIEVEMENT#"
MAX_LISTED = 100


class _AchievementItem(Model):
    class Meta(TasksTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    day = UnicodeAttribute()
    awarded_at = UnicodeAttribute()


def _user_key(user_id: str) -> str:
    return f"USER#{user_id}"


class AchievementStore:
    def award_with(self, writes: Transaction, user_id: str, name: str, day: str, awarded_at: str) -> None:
        """Awarded with what earned it; awarding it again for the same day changes nothing."""
        item = _AchievementItem(
            _user_key(user_id), f"{PREFIX}{day}#{name}", name=name, day=day, awarded_at=awarded_at
        )
        writes.put(item)

    def latest(self, user_id: str) -> list[Achievement]:
        """The user's latest achievements, newest first."""
        items = _AchievementItem.query(
            _user_key(user_id),
            _AchievementItem.sk.startswith(PREFIX),
            scan_index_forward=False,
            limit=MAX_LISTED,
        )
        return [Achievement(item.name, item.day, item.awarded_at) for item in items]
