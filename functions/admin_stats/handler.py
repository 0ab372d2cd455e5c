"""Admin stats API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from datetime import date
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.admin_stats import logic
from functions.admin_stats.models import DayStatsOut, StatsSeriesOut
from twtc_core.api import build_resolver, caller_actor, documented
from twtc_core.observability import logger, metrics, tracer
from twtc_core.stats import StatsStore

stats = StatsStore()
app = build_resolver()
DENIED = (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.UNPROCESSABLE_ENTITY)


@app.get(
    "/v1/admin/stats",
    summary="One day's platform stats (admin); today by default",
    responses=documented(DayStatsOut, *DENIED),
)
def one_day(date: Annotated[date | None, Query(description="UTC day, YYYY-MM-DD")] = None) -> DayStatsOut:
    return logic.day(stats, caller_actor(app), date)


@app.get(
    "/v1/admin/stats/series",
    summary="Daily platform stats over a range (admin)",
    responses=documented(StatsSeriesOut, *DENIED),
)
def day_series(
    first: Annotated[date, Query(alias="from", description="First UTC day, YYYY-MM-DD")],
    last: Annotated[date, Query(alias="to", description="Last UTC day, included")],
) -> StatsSeriesOut:
    return logic.series(stats, caller_actor(app), first, last)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
