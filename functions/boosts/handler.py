"""Boosts API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.boosts import logic
from functions.boosts.models import AnswerIn, AnswerOut, BoostOut, BoostQuestionOut, BoostStartIn
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.content.videos import VideoStore
from twtc_core.earning.sessions import MiningStore
from twtc_core.edge import request_origin
from twtc_core.ledger import ConcurrentUpdate, Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import SecurityStore
from twtc_core.settings import BaseFunctionSettings
from twtc_core.stats import StatsStore
from twtc_core.tasks.boosts import BoostStore
from twtc_core.tasks.used_videos import UsedVideoStore
from twtc_core.trust import EARNING_REFUSALS, earning_gate


class BoostSettings(BaseFunctionSettings):
    max_boosts_per_day: int


services = logic.BoostServices(
    max_per_day=BoostSettings().max_boosts_per_day,
    boosts=BoostStore(),
    used_videos=UsedVideoStore(),
    videos=VideoStore(),
    sessions=MiningStore(),
    ledger=Ledger(),
    stats=StatsStore(),
    security=SecurityStore(),
)
app = build_resolver()
BoostId = Annotated[str, Path(min_length=1, max_length=64)]


@app.post(
    "/v1/boosts",
    summary="Start a boost: watch a tourism video during a mining session",
    responses=documented(
        BoostOut,
        logic.VideoNotFound,
        logic.NoActiveSession,
        logic.VideoUsedToday,
        logic.BoostLimitReached,
        *EARNING_REFUSALS,
        status=HTTPStatus.CREATED,
    ),
    middlewares=[earning_gate],
)
def start_boost(request: BoostStartIn) -> tuple[BoostOut, int]:
    return BoostOut.of(logic.start(services, caller_id(app), request.video_id)), HTTPStatus.CREATED


@app.post(
    "/v1/boosts/<id>/question",
    summary="The video's question, once it has played out (starts the 30 s answer timer)",
    responses=documented(BoostQuestionOut, logic.BoostNotFound, logic.VideoIncomplete, *EARNING_REFUSALS),
    middlewares=[earning_gate],
)
def ask_question(id: BoostId) -> BoostQuestionOut:
    return BoostQuestionOut.of(logic.ask(services, caller_id(app), id))


@app.post(
    "/v1/boosts/<id>/answer",
    summary="Answer the question: right within 30 s credits the boost",
    responses=documented(
        AnswerOut,
        logic.BoostNotFound,
        logic.QuestionNotAsked,
        logic.AlreadyAnswered,
        logic.BoostBusy,
        ConcurrentUpdate,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        *EARNING_REFUSALS,
    ),
    middlewares=[earning_gate],
)
def answer_question(id: BoostId, answer: AnswerIn) -> AnswerOut:
    return AnswerOut.of(logic.answer(services, caller_id(app), id, answer.option, request_origin(app)))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
