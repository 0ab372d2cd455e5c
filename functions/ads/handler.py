"""Ads API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.ads import logic
from functions.ads.models import ImpressionIn, ImpressionOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.earning.ad_units import AdUnitCatalog
from twtc_core.earning.ads import AdServices
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.earning.settings import EarningSettings
from twtc_core.edge import request_origin
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import SecurityStore
from twtc_core.stats import StatsStore
from twtc_core.trust import EARNING_REFUSALS, earning_gate

settings = EarningSettings()
services = AdServices(
    catalog=AdUnitCatalog(),
    impressions=ImpressionStore(),
    security=SecurityStore(),
    stats=StatsStore(),
    max_age=settings.impression_max_age,
)
app = build_resolver()
ULID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"  # impression ids are ULIDs (twtc_core.ids.new_id)


@app.post(
    "/v1/ads/impressions",
    summary="Issue an ad impression",
    responses=documented(
        ImpressionOut,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        *EARNING_REFUSALS,
        status=HTTPStatus.CREATED,
    ),
    middlewares=[earning_gate],
)
def issue(request: ImpressionIn) -> tuple[ImpressionOut, int]:
    return logic.issue_impression(
        services, caller_id(app), request.placement, settings.mining_ad_seconds
    ), HTTPStatus.CREATED


@app.post(
    "/v1/ads/impressions/<id>/complete",
    summary="Complete a watched ad impression",
    responses=documented(
        ImpressionOut,
        HTTPStatus.NOT_FOUND,
        HTTPStatus.CONFLICT,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        *EARNING_REFUSALS,
    ),
    middlewares=[earning_gate],
)
def complete(id: Annotated[str, Path(pattern=ULID_PATTERN)]) -> ImpressionOut:
    return logic.complete_impression(services, caller_id(app), id, request_origin(app))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
