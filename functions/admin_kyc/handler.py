"""Admin KYC API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.admin_kyc import logic
from functions.admin_kyc.models import DecisionIn, KycSubmissionOut, SubmissionDetailOut, SubmissionPageOut
from twtc_core.api import build_resolver, caller_actor, documented
from twtc_core.connections import ConnectionStore
from twtc_core.edge import request_origin
from twtc_core.kyc.decisions import Decisions
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.models import KycStatus
from twtc_core.kyc.store import KycStore
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from twtc_core.push import Pusher
from twtc_core.security import SecurityStore

services = logic.AdminKycServices(
    decisions=Decisions(KycStore(), DocumentStore(), Pusher(ConnectionStore())), security=SecurityStore()
)
app = build_resolver()
ERRORS = (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


@app.get(
    "/v1/admin/kyc",
    summary="KYC review queue by status, oldest first (admin, moderator)",
    responses=documented(SubmissionPageOut, *ERRORS[:2], HTTPStatus.BAD_REQUEST),
)
def review_queue(
    status: Annotated[KycStatus, Query()] = KycStatus.PENDING,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> SubmissionPageOut:
    return logic.review_queue(services, caller_actor(app), status, limit, cursor)


@app.get(
    "/v1/admin/kyc/<id>",
    summary="One KYC submission with a 5-minute link to its document (admin, moderator)",
    responses=documented(SubmissionDetailOut, *ERRORS),
)
def submission_detail(id: str) -> SubmissionDetailOut:
    return logic.submission_detail(services, caller_actor(app), id)


@app.post(
    "/v1/admin/kyc/<id>/decision",
    summary="Verify or reject a KYC submission by hand (audited; admin, moderator)",
    responses=documented(KycSubmissionOut, *ERRORS, HTTPStatus.CONFLICT),
)
def decide(id: str, decision: DecisionIn) -> KycSubmissionOut:
    return logic.decide(services, caller_actor(app), id, decision, request_origin(app))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
