"""KYC provider webhook handler (public route, authenticated by its HMAC signature): parse, call one logic
function, shape the response. The signature covers the exact bytes sent, so the body is used raw (API
Gateway base64-encodes bodies it does not treat as text)."""

from __future__ import annotations

import base64
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.kyc_webhook import logic
from twtc_core.api import build_resolver, documented
from twtc_core.connections import ConnectionStore
from twtc_core.kyc.decisions import Decisions
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.providers import configured_provider
from twtc_core.kyc.store import KycStore
from twtc_core.observability import logger, metrics, tracer
from twtc_core.push import Pusher

services = logic.WebhookServices(
    provider=configured_provider(),
    decisions=Decisions(KycStore(), DocumentStore(), Pusher(ConnectionStore())),
)
app = build_resolver()


def raw_body() -> bytes:
    event = app.current_event
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode()


@app.post(
    "/webhooks/kyc",
    summary="The KYC provider's verdict, signed (X-Kyc-Signature)",
    responses=documented(
        logic.WebhookAck, HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.UNPROCESSABLE_ENTITY
    ),
)
def receive(
    x_kyc_signature: Annotated[
        str | None, Header(max_length=512, description="t=<unix seconds>,v1=<HMAC-SHA256 hex>")
    ] = None,
) -> logic.WebhookAck:
    return logic.receive(services, raw_body(), x_kyc_signature)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
