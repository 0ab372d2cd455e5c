"""Boost rules (spec §4, §6). Every time is the server's (the injectable clock); "today" is the UTC day.

A boost starts during an ACTIVE mining session on a video not used today, while fewer than
`max_per_day` boosts were started today: the used-video marker, the day's count (conditional) and the
boost are one transaction, so concurrent starts can never exceed either limit. Once the video's duration
has elapsed the user asks the question, which starts a 30 s timer (once); the right answer in time
credits `BOOST` `boost:<id>` of floor(base_reward x (multiplier - 100) / 100) and adds the multiplier's points
above 100 to the session's `boost_multiplier`. The credit and the answer's record are one transaction:
both or neither, so a retry pays nothing twice and a concurrent second answer pays nothing."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from twtc_core import errors
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.content.videos import VideoStore
from twtc_core.dynamo import Transaction
from twtc_core.earning.sessions import MiningStore
from twtc_core.earning.settings import BOOST_NONE
from twtc_core.ids import derived_id, new_id
from twtc_core.ledger import ConcurrentUpdate, EntryType, Ledger
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore
from twtc_core.tasks.boosts import Boost, BoostStore
from twtc_core.tasks.used_videos import UsedVideoStore

ANSWER_SECONDS = 30
# Another movement of the same wallet between the read and the commit is rare; a few re-reads settle it.
ATTEMPTS = 5


class NoActiveSession(errors.Conflict):
    code = "no_active_session"


class VideoUsedToday(errors.Conflict):
    code = "video_used_today"


class BoostLimitReached(errors.Conflict):
    code = "boost_limit_reached"


class VideoNotFound(errors.NotFound):
    code = "video_not_found"


class BoostNotFound(errors.NotFound):
    code = "boost_not_found"


class VideoIncomplete(errors.Invalid):
    code = "video_incomplete"


class QuestionNotAsked(errors.Conflict):
    code = "question_not_asked"


class AlreadyAnswered(errors.Conflict):
    code = "already_answered"


class BoostBusy(errors.Conflict):
    code = "boost_busy"


@dataclass(frozen=True)
class BoostServices:
    max_per_day: int
    boosts: BoostStore
    used_videos: UsedVideoStore
    videos: VideoStore
    sessions: MiningStore
    ledger: Ledger
    stats: StatsStore
    security: SecurityStore


@dataclass(frozen=True)
class Answered:
    boost: Boost
    credited: int
    session_multiplier_added: int


def start(services: BoostServices, user_id: str, video_id: str) -> Boost:
    now = utc_now()
    session = services.sessions.latest_of(user_id)
    if session is None or session.status != "ACTIVE" or session.has_ended(now):
        raise NoActiveSession("Boosts need a running mining session.")
    video = services.videos.get(video_id)
    if video is None or not video.active:
        raise VideoNotFound("No such video.")
    day = utc_day(now)
    boost = Boost(
        boost_id=new_id(),
        user_id=user_id,
        day=day,
        session_id=session.session_id,
        base_reward=session.base_reward,
        video_id=video.video_id,
        multiplier_percent=video.boost_multiplier_percent,
        question=video.question,
        started_at=iso(now),
        watch_until=iso(now + timedelta(seconds=video.duration_seconds)),
    )
    writes = Transaction()
    unused = services.used_videos.mark_used_with(
        writes, user_id, day, video.video_id, boost_id=boost.boost_id, used_at=boost.started_at
    )
    below_limit = services.boosts.count_with(writes, user_id, day, services.max_per_day)
    services.boosts.create_with(writes, boost)
    services.stats.count_with(writes, day, Metric.BOOSTS)
    failed = writes.commit()
    if unused in failed:
        raise VideoUsedToday("This video was used for a boost today already.")
    if below_limit in failed:
        raise BoostLimitReached(
            f"At most {services.max_per_day} boosts a day.", {"limit": services.max_per_day}
        )
    return boost


def ask(services: BoostServices, user_id: str, boost_id: str) -> Boost:
    """The question, once the video has played out on the server's clock; the first ask starts the
    answer timer and every later one returns the same deadline."""
    boost = _boost(services, user_id, boost_id)
    now = utc_now()
    if boost.answer_by is not None:
        return boost
    remaining = (_at(boost.watch_until) - now).total_seconds()
    if remaining > 0:
        raise VideoIncomplete("Watch the whole video first.", {"seconds_remaining": math.ceil(remaining)})
    answer_by = iso(now + timedelta(seconds=ANSWER_SECONDS))
    if services.boosts.ask(boost, answer_by):
        return replace(boost, answer_by=answer_by)
    return _boost(services, user_id, boost_id)  # a concurrent ask set the deadline first


def answer(
    services: BoostServices, user_id: str, boost_id: str, option: str, origin: RequestOrigin
) -> Answered:
    """One answer per boost. Right and in time: the credit commits with the answer's record (and the
    session's multiplier); wrong or late: recorded, nothing credited. When the wallet moved under the
    credit, the boost is read again and the answer composed again, a bounded number of times."""
    for _ in range(ATTEMPTS):
        answered = _recorded_answer(services, _boost(services, user_id, boost_id), option, origin)
        if answered is not None:
            return answered
    raise ConcurrentUpdate("The wallet is busy; try again.")


def _recorded_answer(
    services: BoostServices, boost: Boost, option: str, origin: RequestOrigin
) -> Answered | None:
    """One attempt: the answer, its credit, the stats and the activity in one transaction; None when the
    wallet changed since it was read. The credit's id is derived from the boost and its entry is written
    only if new, so the answer's own condition and the entry's fail together: nothing pays twice."""
    if boost.answered_option is not None:
        raise AlreadyAnswered("This boost was answered already.")
    if boost.answer_by is None:
        raise QuestionNotAsked("Ask for the question first.")
    correct = option == boost.question.correct_option and utc_now() <= _at(boost.answer_by)
    points = max(boost.multiplier_percent - BOOST_NONE, 0) if correct else 0
    amount = boost.base_reward * points // 100
    writes = Transaction()
    unanswered = services.boosts.answer_with(writes, boost, option, correct)
    wallet = (
        services.ledger.credit_with(
            writes,
            entry_id=derived_id("boost", boost.boost_id),
            user_id=boost.user_id,
            amount=amount,
            entry_type=EntryType.BOOST,
            description="Tourism video boost",
            metadata={"boost_id": boost.boost_id, "video_id": boost.video_id, "session_id": boost.session_id},
        )
        if amount > 0
        else None
    )
    if points:
        services.sessions.add_boost_with(writes, boost.user_id, boost.session_id, points)
    if amount:
        services.stats.count_with(writes, boost.day, Metric.coins(EntryType.BOOST), amount)
    services.security.log_activity_with(
        writes, boost.user_id, "boost_answered", origin, resource=boost.boost_id
    )
    failed = writes.commit()
    if unanswered in failed:
        raise AlreadyAnswered("This boost was answered already.")
    if wallet in failed:
        return None
    if failed:
        raise BoostBusy("The answer could not be recorded; try again.")
    return Answered(
        boost=replace(boost, answered_option=option, correct=correct),
        credited=amount,
        session_multiplier_added=points,
    )


def _boost(services: BoostServices, user_id: str, boost_id: str) -> Boost:
    boost = services.boosts.get(user_id, boost_id)
    if boost is None:
        raise BoostNotFound("No such boost.")
    return boost


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)
