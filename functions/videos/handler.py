"""Videos API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.videos import logic
from functions.videos.models import VideoPageOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.content.videos import VideoStore
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from twtc_core.tasks.used_videos import UsedVideoStore

reads = logic.VideoReads(VideoStore(), UsedVideoStore())
app = build_resolver()


@app.get(
    "/v1/videos",
    summary="Tourism videos to boost with, by country and category",
    responses=documented(VideoPageOut, HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED),
)
def list_videos(
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")] = None,
    category: Annotated[str | None, Query(pattern=r"^[A-Z_]{1,32}$", examples=["HERITAGE"])] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> VideoPageOut:
    return logic.catalog(
        reads, caller_id(app), country=country, category=category, limit=limit, cursor=cursor
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
