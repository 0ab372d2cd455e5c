"""Tasks API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.tasks import logic
from functions.tasks.models import AchievementsOut, CompletedOut, CompleteIn, StartedOut, TodayOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.content.quiz import QuizStore
from twtc_core.content.task_types import TaskTypeStore
from twtc_core.earning.ad_units import AdUnitCatalog
from twtc_core.earning.ads import AdServices
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.edge import request_origin
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import SecurityStore
from twtc_core.settings import BaseFunctionSettings
from twtc_core.stats import StatsStore
from twtc_core.tasks.achievements import AchievementStore
from twtc_core.tasks.day_tasks import DayTaskStore
from twtc_core.trust import EARNING_REFUSALS, earning_gate


class TaskSettings(BaseFunctionSettings):
    tasks_per_day: int
    daily_bonus: int
    task_completions_per_day: int
    quiz_attempts: int
    impression_ttl_minutes: int


settings = TaskSettings()
security = SecurityStore()
stats = StatsStore()
services = logic.TaskServices(
    rules=logic.TaskRules(
        tasks_per_day=settings.tasks_per_day,
        daily_bonus=settings.daily_bonus,
        completions_per_day=settings.task_completions_per_day,
        quiz_attempts=settings.quiz_attempts,
    ),
    day_tasks=DayTaskStore(),
    task_types=TaskTypeStore(),
    quiz=QuizStore(),
    ledger=Ledger(),
    stats=stats,
    achievements=AchievementStore(),
    security=security,
    ads=AdServices(
        catalog=AdUnitCatalog(),
        impressions=ImpressionStore(),
        security=security,
        stats=stats,
        max_age=timedelta(minutes=settings.impression_ttl_minutes),
    ),
)
app = build_resolver()
TaskId = Annotated[str, Path(min_length=1, max_length=64)]
ON_A_TASK = (HTTPStatus.UNAUTHORIZED, HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS)


@app.get(
    "/v1/tasks/today",
    summary="My tasks of today (UTC), made on the first read",
    responses=documented(TodayOut, HTTPStatus.UNAUTHORIZED, HTTPStatus.TOO_MANY_REQUESTS),
)
def list_todays_tasks() -> TodayOut:
    return logic.today(services, caller_id(app))


@app.post(
    "/v1/tasks/<id>/start",
    summary="Start a task (the server's clock times it)",
    responses=documented(StartedOut, *ON_A_TASK, *EARNING_REFUSALS),
    middlewares=[earning_gate],
)
def start_task(id: TaskId) -> StartedOut:
    return logic.start(services, caller_id(app), id, request_origin(app))


@app.post(
    "/v1/tasks/<id>/complete",
    summary="Complete a started task (QUIZ: with the answer) and get its reward",
    responses=documented(CompletedOut, *ON_A_TASK, HTTPStatus.UNPROCESSABLE_ENTITY, *EARNING_REFUSALS),
    middlewares=[earning_gate],
)
def complete_task(id: TaskId, answer: Annotated[CompleteIn | None, Body()] = None) -> CompletedOut:
    option = answer.option if answer else None
    return logic.complete(services, caller_id(app), id, option, request_origin(app))


@app.get(
    "/v1/me/achievements",
    summary="My achievements, newest first",
    responses=documented(AchievementsOut, HTTPStatus.UNAUTHORIZED),
)
def my_achievements() -> AchievementsOut:
    return logic.achievements(services, caller_id(app))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
