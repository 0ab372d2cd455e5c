"""Twilio webhooks (public, signed, form-encoded): the voice webhook answers TwiML, status callbacks and
the Dial action are acknowledged with an empty TwiML response."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.twilio_webhooks import logic, twiml
from twtc_core.api import build_resolver
from twtc_core.calls.service import call_service
from twtc_core.calls.settings import WebhookSettings
from twtc_core.clock import utc_now
from twtc_core.observability import logger, metrics, tracer

VOICE_ROUTE = "/webhooks/twilio/voice"
STATUS_ROUTE = "/webhooks/twilio/status"

app = build_resolver(json_bodies=False)
service = call_service()
settings = WebhookSettings()  # type: ignore[call-arg]


def twilio_request(route: str) -> logic.TwilioRequest:
    event = app.current_event
    return logic.TwilioRequest(
        url=logic.public_url(settings.public_base_url, route, event.raw_query_string),
        params=dict(parse_qsl(event.decoded_body or "", keep_blank_values=True)),
        signature=event.headers.get("x-twilio-signature", ""),
    )


@app.post(VOICE_ROUTE, include_in_schema=False)
def voice() -> Response[str]:
    decision = logic.place_call(service, service.twilio, twilio_request(VOICE_ROUTE), utc_now())
    status_url = logic.public_url(settings.public_base_url, STATUS_ROUTE, "")
    return twiml.response(twiml.answer(decision, status_url))


@app.post(STATUS_ROUTE, include_in_schema=False)
def status() -> Response[str]:
    logic.follow_call(service, service.twilio, twilio_request(STATUS_ROUTE), utc_now())
    return twiml.response(twiml.acknowledged())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
