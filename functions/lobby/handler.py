"""Lobby API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.lobby import logic
from functions.lobby.models import HostsOut, PresenceOut
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.clock import utc_now
from twtc_core.connections import ConnectionStore
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT

reads = logic.LobbyReads(ConnectionStore(), ProfileStore())
app = build_resolver()


@app.get(
    "/v1/hosts",
    summary="The lobby: connected hosts who accept calls, ONLINE first, then BUSY",
    responses=documented(HostsOut, HTTPStatus.UNAUTHORIZED),
)
def lobby(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> HostsOut:
    caller_id(app)  # signed-in users only, even if a route were ever wired without the authorizer
    return logic.hosts(reads, utc_now(), limit, cursor)


@app.get(
    "/v1/users/<id>/presence",
    summary="A user's presence: ONLINE, BUSY or OFFLINE",
    responses=documented(PresenceOut, HTTPStatus.UNAUTHORIZED),
)
def presence(id: Annotated[str, Path(min_length=1, max_length=128)]) -> PresenceOut:
    caller_id(app)  # presence is public within the app, not outside it
    return logic.presence(reads.connections, id, utc_now())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
