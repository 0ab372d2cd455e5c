"""Tourism-video boosts (spec §4, §6), in the tasks table (docs/access-patterns.md, "Boosts"):

USER#<user>#DAY#<date> / BOOSTS      the day's boosts (`started`): an ADD conditional on < the limit, in
                                     the boost's own transaction (with the day's used-video marker)
USER#<user> / BOOST#<boost_id>       the boost: its session, video, multiplier and question (copied at
                                     start, so asking and answering read nothing else); `answer_by` once
                                     asked, `answered_option` once answered (each set once, conditionally)
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.clock import epoch_days_after
from twtc_core.content._table import QuestionAttribute, question_attribute, question_of
from twtc_core.content.models import Question
from twtc_core.dynamo import Check, Transaction, update_if
from twtc_core.tasks._table import TasksTable, user_day_key

COUNT_SK = "BOOSTS"
BOOST_PREFIX = "BOOST#"
KEEP_DAYS = 2  # a boost is asked and answered within minutes of its start


@dataclass(frozen=True)
class Boost:
    boost_id: str
    user_id: str
    day: str
    session_id: str
    base_reward: int
    video_id: str
    multiplier_percent: int
    question: Question
    started_at: str
    watch_until: str
    answer_by: str | None = None
    answered_option: str | None = None
    correct: bool | None = None


class _CountItem(Model):
    class Meta(TasksTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=COUNT_SK)
    started = NumberAttribute(null=True)
    expires_at = NumberAttribute(null=True)


class _BoostItem(Model):
    class Meta(TasksTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    day = UnicodeAttribute()
    session_id = UnicodeAttribute()
    base_reward = NumberAttribute()
    video_id = UnicodeAttribute()
    multiplier_percent = NumberAttribute()
    question = QuestionAttribute()
    started_at = UnicodeAttribute()
    watch_until = UnicodeAttribute()
    answer_by = UnicodeAttribute(null=True)
    answered_option = UnicodeAttribute(null=True)
    correct = BooleanAttribute(null=True)
    expires_at = NumberAttribute()


def _boost_key(user_id: str) -> str:
    return f"USER#{user_id}"


def _boost(item: _BoostItem) -> Boost:
    return Boost(
        boost_id=item.sk.removeprefix(BOOST_PREFIX),
        user_id=item.user_id,
        day=item.day,
        session_id=item.session_id,
        base_reward=int(item.base_reward),
        video_id=item.video_id,
        multiplier_percent=int(item.multiplier_percent),
        question=question_of(item.question),
        started_at=item.started_at,
        watch_until=item.watch_until,
        answer_by=item.answer_by,
        answered_option=item.answered_option,
        correct=item.correct,
    )


class BoostStore:
    def get(self, user_id: str, boost_id: str) -> Boost | None:
        """The user's boost (another user's id is simply not found under their key)."""
        try:
            item = _BoostItem.get(_boost_key(user_id), f"{BOOST_PREFIX}{boost_id}", consistent_read=True)
        except _BoostItem.DoesNotExist:
            return None
        return _boost(item)

    def count_with(self, writes: Transaction, user_id: str, day: str, limit: int) -> Check | None:
        """Within `writes`, count one more boost of the day; the check fails when `limit` are counted."""
        counter = _CountItem(user_day_key(user_id, day), COUNT_SK)
        return writes.update(
            counter,
            [_CountItem.started.add(1), _CountItem.expires_at.set(epoch_days_after(day, KEEP_DAYS))],
            _CountItem.started.does_not_exist() | (_CountItem.started < limit),
        )

    def create_with(self, writes: Transaction, boost: Boost) -> None:
        writes.put(
            _BoostItem(
                _boost_key(boost.user_id),
                f"{BOOST_PREFIX}{boost.boost_id}",
                user_id=boost.user_id,
                day=boost.day,
                session_id=boost.session_id,
                base_reward=boost.base_reward,
                video_id=boost.video_id,
                multiplier_percent=boost.multiplier_percent,
                question=question_attribute(boost.question),
                started_at=boost.started_at,
                watch_until=boost.watch_until,
                expires_at=epoch_days_after(boost.day, KEEP_DAYS),
            ),
            _BoostItem.pk.does_not_exist(),
        )

    def ask(self, boost: Boost, answer_by: str) -> bool:
        """Start the answer timer once; False when it was started already (the stored one stands)."""
        item = _BoostItem(_boost_key(boost.user_id), f"{BOOST_PREFIX}{boost.boost_id}")
        return update_if(
            item,
            [_BoostItem.answer_by.set(answer_by)],
            _BoostItem.pk.exists() & _BoostItem.answer_by.does_not_exist(),
        )

    def answer_with(self, writes: Transaction, boost: Boost, option: str, correct: bool) -> Check | None:
        """Within `writes`, record the answer; the check fails when the boost was answered already."""
        item = _BoostItem(_boost_key(boost.user_id), f"{BOOST_PREFIX}{boost.boost_id}")
        return writes.update(
            item,
            [_BoostItem.answered_option.set(option), _BoostItem.correct.set(correct)],
            _BoostItem.answer_by.exists() & _BoostItem.answered_option.does_not_exist(),
        )
