"""Daily task rules (spec §4, §6, §9). Every time is the server's (the injectable clock); "today" is the
UTC day. A set changes only through a write conditional on the version read, so concurrent requests
of one user never lose each other's changes: a loser reads again and decides again.

State machine of a task: PENDING --start--> STARTED --complete (>= min_seconds, right answer)-->
COMPLETED; a QUIZ answered wrong stays STARTED while attempts remain, then becomes FAILED."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime

from functions.tasks.composition import compose
from functions.tasks.models import (
    AchievementOut,
    AchievementsOut,
    AdOut,
    CompletedOut,
    ContentOut,
    QuestionOut,
    StartedOut,
    TaskOut,
    TodayOut,
)
from twtc_core import errors
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.content.models import TaskCategory
from twtc_core.content.quiz import QuizStore
from twtc_core.content.task_types import TaskTypeStore
from twtc_core.dynamo import Transaction, TransactionContended
from twtc_core.earning import ads
from twtc_core.earning.ads import AdServices
from twtc_core.fraud.rules.action_timing import EARLY_CLAIM
from twtc_core.ids import derived_id, new_id
from twtc_core.ledger import Credit, EntryType, Ledger
from twtc_core.security import ActionTiming, RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore
from twtc_core.tasks.achievements import AchievementStore
from twtc_core.tasks.day_tasks import DayTaskStore
from twtc_core.tasks.models import DAILY_CHAMPION, DayTask, DayTasks, TaskAd, TaskStatus

# Concurrent changes of one user's set are rare (one person, one phone); a few re-reads settle them.
ATTEMPTS = 5


class TaskNotFound(errors.NotFound):
    code = "task_not_found"


class TaskAlreadyCompleted(errors.Conflict):
    code = "task_already_completed"


class TaskFailed(errors.Conflict):
    code = "task_failed"


class TaskNotStarted(errors.Conflict):
    code = "task_not_started"


class TaskIncomplete(errors.Invalid):
    code = "task_incomplete"


class AnswerRequired(errors.Invalid):
    code = "answer_required"


class WrongAnswer(errors.Invalid):
    code = "wrong_answer"


class CompletionLimitReached(errors.RateLimited):
    code = "rate_limited"


class CompletionBusy(errors.Conflict):
    code = "task_busy"


@dataclass(frozen=True)
class TaskRules:
    tasks_per_day: int
    daily_bonus: int
    completions_per_day: int
    quiz_attempts: int


@dataclass(frozen=True)
class TaskServices:
    rules: TaskRules
    day_tasks: DayTaskStore
    task_types: TaskTypeStore
    quiz: QuizStore
    ledger: Ledger
    stats: StatsStore
    achievements: AchievementStore
    security: SecurityStore
    ads: AdServices


def today(services: TaskServices, user_id: str) -> TodayOut:
    day_tasks = _day_tasks(services, user_id, utc_day())
    return TodayOut(day=day_tasks.day, items=[TaskOut.of(task) for task in day_tasks.tasks])


def start(services: TaskServices, user_id: str, task_id: str, origin: RequestOrigin) -> StartedOut:
    """Record the server's start (an AD task's with the ad impression it issues, for placement TASK and the
    task's minimum time; in the same write, the activity the fraud rules read). Starting a started task
    again changes nothing (its clock keeps running from the first start, its ad stays the same), so a
    retried request cannot reset or extend anything."""
    day = utc_day()
    for _ in range(ATTEMPTS):
        day_tasks = _day_tasks(services, user_id, day)
        task = _task(day_tasks, task_id)
        _require_open(task)
        if task.status is TaskStatus.STARTED:
            return _started(task)
        started = replace(
            task, status=TaskStatus.STARTED, started_at=iso(utc_now()), ad=_issued_ad(services, user_id, task)
        )
        writes = Transaction()
        services.day_tasks.save_with(writes, day_tasks.with_task(started))
        services.security.log_activity_with(writes, user_id, "task_started", origin, resource=task_id)
        if not writes.commit():
            return _started(started)
    raise TransactionContended("The day's tasks kept changing; try again.")


def complete(
    services: TaskServices, user_id: str, task_id: str, option: str | None, origin: RequestOrigin
) -> CompletedOut:
    """Credit the task once its minimum time has passed since its start (and, for QUIZ, on the right
    answer); the day's last completion also credits the daily bonus and awards `daily_champion`.
    The coins and the completion's record commit together, under ids derived from the user, day and
    task: a retry after any failure pays nothing twice, and a completion is recorded only as it is paid."""
    day = utc_day()
    for _ in range(ATTEMPTS):
        day_tasks = _day_tasks(services, user_id, day)
        task = _task(day_tasks, task_id)
        _require_open(task)
        elapsed = _require_time_served(services, user_id, task, origin)
        if task.type is TaskCategory.QUIZ and not _answered_right(services, day_tasks, task, option):
            continue  # the set changed under the wrong answer's record: read it again
        if day_tasks.completed >= services.rules.completions_per_day:
            raise CompletionLimitReached("No more task completions today.", _seconds_to_midnight())
        timing = ActionTiming(required_seconds=task.min_seconds, elapsed_seconds=elapsed)
        recorded = _record_completion(services, day_tasks, task, origin, timing)
        if recorded is not None:
            return recorded
    raise TransactionContended("The day's tasks kept changing; try again.")


def achievements(services: TaskServices, user_id: str) -> AchievementsOut:
    return AchievementsOut(items=[AchievementOut.of(item) for item in services.achievements.latest(user_id)])


def _day_tasks(services: TaskServices, user_id: str, day: str) -> DayTasks:
    """The user's set for the day, made on the first read. Concurrent first reads each compose one, one
    conditional write keeps exactly one, and the others read it back."""
    existing = services.day_tasks.get(user_id, day)
    if existing is not None:
        return existing
    composed = compose(
        services.task_types.active(),
        services.quiz.active(),
        services.rules.tasks_per_day,
        new_id,
        random.SystemRandom(),
    )
    writes = Transaction()
    services.day_tasks.create_with(writes, DayTasks(user_id, day, composed))
    services.stats.count_with(writes, day, Metric.TASK_SETS)
    services.stats.count_with(writes, day, Metric.TASKS_ASSIGNED, len(composed))
    if writes.commit():
        return services.day_tasks.get(user_id, day) or DayTasks(user_id, day, composed, version=1)
    services.stats.mark_active(user_id, day)
    return DayTasks(user_id, day, composed, version=1)


def _task(day_tasks: DayTasks, task_id: str) -> DayTask:
    task = day_tasks.find(task_id)
    if task is None:
        raise TaskNotFound("No such task today.")
    return task


def _require_open(task: DayTask) -> None:
    if task.status is TaskStatus.COMPLETED:
        raise TaskAlreadyCompleted("This task is already completed.")
    if task.status is TaskStatus.FAILED:
        raise TaskFailed("This quiz was answered wrong too often; it cannot be completed today.")


def _require_time_served(services: TaskServices, user_id: str, task: DayTask, origin: RequestOrigin) -> float:
    """The seconds since the task's start, once they are at least its minimum. An early claim is refused
    and recorded with its timing (one write): a script claiming early is the timing rule's evidence."""
    if task.started_at is None:
        raise TaskNotStarted("Start the task first.")
    elapsed = (utc_now() - datetime.fromisoformat(task.started_at)).total_seconds()
    if elapsed < task.min_seconds:
        timing = ActionTiming(required_seconds=task.min_seconds, elapsed_seconds=elapsed)
        services.security.log_activity(user_id, EARLY_CLAIM, origin, resource=task.id, timing=timing)
        raise TaskIncomplete(
            "The task's minimum time has not passed yet.",
            {"seconds_remaining": int(task.min_seconds - elapsed) + 1},
        )
    return elapsed


def _answered_right(services: TaskServices, day_tasks: DayTasks, task: DayTask, option: str | None) -> bool:
    """True on the right answer. A wrong one is recorded (the task fails on the last attempt) and raised;
    False when the record lost a race and the caller must read the set again."""
    if option is None:
        raise AnswerRequired("Answer the quiz: send `option` (A-D).")
    if task.question is not None and option == task.question.correct_option:
        return True
    wrong_answers = task.wrong_answers + 1
    attempts_left = max(0, services.rules.quiz_attempts - wrong_answers)
    status = TaskStatus.STARTED if attempts_left else TaskStatus.FAILED
    writes = Transaction()
    services.day_tasks.save_with(
        writes, day_tasks.with_task(replace(task, wrong_answers=wrong_answers, status=status))
    )
    if writes.commit():
        return False
    raise WrongAnswer(
        "That is not the right answer.", {"attempts_left": attempts_left, "status": status.value}
    )


def _record_completion(
    services: TaskServices,
    day_tasks: DayTasks,
    task: DayTask,
    origin: RequestOrigin,
    timing: ActionTiming,
) -> CompletedOut | None:
    """The completion, its credits (the reward and, on the day's last completion, the daily bonus), the
    day's counters and the activity in one transaction; None when the set or the wallet changed
    meanwhile (the caller reads them again: a concurrent duplicate then finds the task completed). The
    credits' ids derive from the user, day and task and their entries are written only if new, so the
    set's condition and the entries' fail together: nothing pays twice."""
    user_id, day = day_tasks.user_id, day_tasks.day
    completed = replace(task, status=TaskStatus.COMPLETED, completed_at=iso(utc_now()))
    after = day_tasks.with_task(completed)
    credits = [
        Credit(
            entry_id=derived_id("task", user_id, day, task.id),
            amount=task.reward,
            entry_type=EntryType.TASK,
            description=f"Task: {task.title}",
            metadata={"task_id": task.id, "day": day},
        )
    ]
    writes = Transaction()
    unchanged = services.day_tasks.save_with(writes, after)
    unspent = (
        services.ads.impressions.watch_and_use_with(
            writes,
            impression_id=task.ad.impression_id,
            user_id=user_id,
            used_for=f"task:{task.id}",
            now=utc_now(),
        )
        if task.ad is not None
        else None
    )
    if task.ad is not None:
        services.stats.count_with(writes, day, Metric.ADS_WATCHED)
    services.stats.count_with(writes, day, Metric.TASKS_COMPLETED)
    services.security.log_activity_with(
        writes, user_id, "task_completed", origin, resource=task.id, timing=timing
    )
    services.stats.count_with(writes, day, Metric.coins(EntryType.TASK), task.reward)
    bonus = 0
    if after.all_completed:
        bonus = services.rules.daily_bonus
        credits.append(
            Credit(
                entry_id=derived_id("task-bonus", user_id, day),
                amount=bonus,
                entry_type=EntryType.TASK_BONUS,
                description="All of the day's tasks completed",
                metadata={"day": day},
            )
        )
        services.achievements.award_with(writes, user_id, DAILY_CHAMPION, day, iso(utc_now()))
        services.stats.count_with(writes, day, Metric.DAILY_BONUSES)
        services.stats.count_with(writes, day, Metric.coins(EntryType.TASK_BONUS), bonus)
    wallet = services.ledger.credits_with(writes, user_id=user_id, credits=credits)
    failed = writes.commit()
    if unspent in failed and unchanged not in failed:
        raise ads.ImpressionUsed("This task's ad was used already.", {"task_id": task.id})
    if unchanged in failed or wallet in failed:
        return None
    if failed:
        raise CompletionBusy("The completion could not be recorded; try again.", {"task_id": task.id})
    return CompletedOut(task=TaskOut.of(completed), credited=task.reward, daily_bonus=bonus)


def _issued_ad(services: TaskServices, user_id: str, task: DayTask) -> TaskAd | None:
    if task.type is not TaskCategory.AD:
        return None
    impression = ads.issue(services.ads, user_id, "TASK", task.min_seconds)
    return TaskAd(
        impression_id=impression.impression_id,
        network=impression.network,
        ad_unit_id=impression.ad_unit_id,
        network_ad_unit_id=impression.network_ad_unit_id,
        min_watch_seconds=impression.min_watch_seconds,
    )


def _started(task: DayTask) -> StartedOut:
    question = task.question
    return StartedOut(
        task=TaskOut.of(task),
        started_at=task.started_at or "",
        question=QuestionOut(question_id=question.question_id, text=question.text, options=question.options)
        if question is not None
        else None,
        content=ContentOut(body=task.body) if task.body is not None else None,
        ad=AdOut.of(task.ad) if task.ad is not None else None,
    )


def _seconds_to_midnight() -> int:
    now = utc_now()
    return 86_400 - (now.hour * 3600 + now.minute * 60 + now.second)
