"""Calls API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.calls import logic
from functions.calls.models import CallOut, CallPageOut, VoiceTokenOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.calls.settings import TwilioSettings
from twtc_core.calls.store import CallStore
from twtc_core.calls.twilio_account import TwilioAccount
from twtc_core.clock import utc_now
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT

app = build_resolver()
account = TwilioAccount(TwilioSettings().twilio_secret_id)  # type: ignore[call-arg]
calls = CallStore()


@app.post(
    "/v1/calls/token",
    summary="A Twilio Voice access token (1 h) for the Voice SDK",
    responses=documented(VoiceTokenOut, HTTPStatus.UNAUTHORIZED),
)
def token() -> VoiceTokenOut:
    return logic.voice_token(account, caller_id(app), utc_now())


@app.get("/v1/calls", summary="My calls, as caller or host, newest first")
def list_calls(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> CallPageOut:
    return logic.my_calls(calls, caller_id(app), limit, cursor)


@app.get(
    "/v1/calls/<id>",
    summary="One of my calls",
    responses=documented(CallOut, HTTPStatus.UNAUTHORIZED, HTTPStatus.NOT_FOUND),
)
def get_call(id: Annotated[str, Path(max_length=64)]) -> CallOut:
    return logic.my_call(calls, caller_id(app), id)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
