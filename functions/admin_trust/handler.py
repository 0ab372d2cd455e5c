"""Admin trust API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.admin_trust import logic
from functions.admin_trust.models import FraudEventOut, FraudEventsOut, LevelIn, ResolveIn, TrustOut
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.api import build_resolver, caller_actor, documented, session_gate
from twtc_core.edge import request_origin
from twtc_core.fraud.models import Severity
from twtc_core.fraud.score import EventStatus
from twtc_core.fraud.store import FraudStore
from twtc_core.fraud.trust import trust_services
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import SecurityStore
from twtc_core.settings import BaseFunctionSettings


class AdminTrustSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    fraud_cooldown_seconds: int


settings = AdminTrustSettings()
services = logic.AdminTrustServices(
    fraud=FraudStore(),
    trust=trust_services(
        settings.user_pool_id,
        settings.user_pool_client_id,
        settings.aws_region,
        settings.fraud_cooldown_seconds,
        session_gate(),
    ),
    profiles=ProfileStore(),
    security=SecurityStore(),
)
app = build_resolver()
ERRORS = (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT)


@app.get(
    "/v1/admin/fraud-events",
    summary="The fraud review queue (admin, moderator)",
    responses=documented(FraudEventsOut, HTTPStatus.BAD_REQUEST, *ERRORS),
)
def fraud_events(
    status: Annotated[EventStatus, Query()] = EventStatus.OPEN,
    severity: Annotated[Severity | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> FraudEventsOut:
    return logic.fraud_events(services, caller_actor(app), status, severity, cursor)


@app.post(
    "/v1/admin/fraud-events/<id>/resolve",
    summary="Dismiss or confirm a fraud event (admin, moderator)",
    responses=documented(FraudEventOut, *ERRORS),
)
def resolve(id: str, request: ResolveIn) -> FraudEventOut:
    return logic.resolve(services, caller_actor(app), id, request, request_origin(app))


@app.post(
    "/v1/admin/users/<id>/alert-level",
    summary="Set a user's alert level (admin; moderator for levels 1-3)",
    responses=documented(TrustOut, *ERRORS),
)
def set_level(id: str, request: LevelIn) -> TrustOut:
    return logic.set_level(services, caller_actor(app), id, request, request_origin(app))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
