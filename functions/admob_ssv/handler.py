"""AdMob SSV callback handler: the raw query string (exactly as signed) to one logic call."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.admob_ssv import logic
from functions.admob_ssv.models import CallbackOut
from twtc_core.api import build_resolver, documented
from twtc_core.earning.admob import AdMobVerifier
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.earning.settings import EarningSettings
from twtc_core.observability import logger, metrics, tracer

verifier = AdMobVerifier(EarningSettings().admob_verifier_keys_url)
impressions = ImpressionStore()
app = build_resolver()


@app.get(
    "/webhooks/admob/ssv",
    summary="AdMob server-side verification callback (signed by Google)",
    responses=documented(
        CallbackOut, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.UNPROCESSABLE_ENTITY
    ),
)
def callback(
    # Declared for the document and checked for shape; what is verified is the raw query string as signed.
    transaction_id: Annotated[str, Query(min_length=1, max_length=128)],
    custom_data: Annotated[str, Query(min_length=1, max_length=128)],
    signature: Annotated[str, Query(min_length=1, max_length=512)],
    key_id: Annotated[str, Query(pattern=r"^[0-9]{1,20}$")],
) -> CallbackOut:
    return logic.confirm_reward(verifier, impressions, app.current_event.raw_query_string)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
