"""Mining API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.mining.models import MiningOut, MiningStartIn, SessionOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.earning import mining
from twtc_core.earning.settings import EarningSettings
from twtc_core.edge import request_origin
from twtc_core.observability import logger, metrics, tracer
from twtc_core.trust import EARNING_REFUSALS, earning_gate

services = mining.MiningServices.wired(EarningSettings())
app = build_resolver()


@app.get(
    "/v1/mining", summary="My mining state and progress", responses=documented(MiningOut, HTTPStatus.CONFLICT)
)
def status() -> MiningOut:
    return MiningOut.from_view(mining.mining_status(services, caller_id(app)))


@app.post(
    "/v1/mining/sessions",
    summary="Start a 4-hour mining session with a watched ad",
    responses=documented(
        SessionOut,
        HTTPStatus.CONFLICT,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        *EARNING_REFUSALS,
        status=HTTPStatus.CREATED,
    ),
    middlewares=[earning_gate],
)
def start(request: MiningStartIn) -> tuple[SessionOut, int]:
    session = mining.start_session(services, caller_id(app), request.impression_id, request_origin(app))
    return SessionOut.from_session(session), HTTPStatus.CREATED


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
