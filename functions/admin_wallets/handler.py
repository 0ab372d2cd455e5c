"""Admin wallets API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.admin_wallets import logic
from functions.admin_wallets.models import (
    AdjustmentIn,
    AdjustmentOut,
    PayoutDestinationOut,
    RejectionIn,
    WithdrawalQueueOut,
    WithdrawalReviewOut,
)
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.api import build_resolver, caller_actor, documented
from twtc_core.edge import request_origin
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.settings import BaseFunctionSettings
from twtc_core.withdrawals.errors import DestinationErased, DestinationUnreadable, WithdrawalNotFound
from twtc_core.withdrawals.models import WithdrawalStatus
from twtc_core.withdrawals.sealing import DestinationSealer
from twtc_core.withdrawals.store import WithdrawalStore


class AdminWalletSettings(BaseFunctionSettings):
    payout_key_id: str


settings = AdminWalletSettings()
services = logic.AdminWalletServices(
    withdrawals=WithdrawalStore(),
    ledger=Ledger(),
    profiles=ProfileStore(),
    security=SecurityStore(),
    sealer=DestinationSealer(settings.payout_key_id, settings.aws_region),
)
app = build_resolver()
REVIEWED = documented(WithdrawalReviewOut, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT)
DESTINATION = documented(
    PayoutDestinationOut,
    HTTPStatus.FORBIDDEN,
    WithdrawalNotFound,
    DestinationErased,
    HTTPStatus.CONFLICT,
    DestinationUnreadable,
    description="The full destination of an APPROVED withdrawal; the read is audited.",
)
ADJUSTED = documented(
    AdjustmentOut,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.CONFLICT,
    HTTPStatus.UNPROCESSABLE_ENTITY,
    status=HTTPStatus.CREATED,
)


def origin() -> RequestOrigin:
    return request_origin(app)


@app.get("/v1/admin/withdrawals", summary="The withdrawal review queue, oldest first (admin)")
def queue(
    status: WithdrawalStatus = WithdrawalStatus.REQUESTED,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> WithdrawalQueueOut:
    return logic.withdrawal_queue(services, caller_actor(app), status, limit, cursor)


@app.post("/v1/admin/withdrawals/<id>/approve", summary="Approve a withdrawal (admin)", responses=REVIEWED)
def approve(id: str) -> WithdrawalReviewOut:
    return logic.review(
        services, caller_actor(app), id, to=WithdrawalStatus.APPROVED, reason=None, origin=origin()
    )


@app.post(
    "/v1/admin/withdrawals/<id>/reject",
    summary="Reject a withdrawal, releasing its hold (admin)",
    responses=REVIEWED,
)
def reject(id: str, rejection: RejectionIn) -> WithdrawalReviewOut:
    return logic.review(
        services,
        caller_actor(app),
        id,
        to=WithdrawalStatus.REJECTED,
        reason=rejection.reason,
        origin=origin(),
    )


@app.post(
    "/v1/admin/withdrawals/<id>/paid",
    summary="Mark a withdrawal paid, capturing its hold (admin)",
    responses=REVIEWED,
)
def paid(id: str) -> WithdrawalReviewOut:
    return logic.review(
        services, caller_actor(app), id, to=WithdrawalStatus.PAID, reason=None, origin=origin()
    )


@app.get(
    "/v1/admin/withdrawals/<id>/destination",
    summary="The full payout destination of an approved withdrawal (admin, audited)",
    responses=DESTINATION,
)
def destination(id: str) -> PayoutDestinationOut:
    return logic.payout_destination(services, caller_actor(app), id, origin())


@app.post(
    "/v1/admin/users/<id>/adjustments", summary="Adjust a user's wallet (admin, audited)", responses=ADJUSTED
)
def adjust(
    id: str,
    adjustment: AdjustmentIn,
    idempotency_key: Annotated[
        str | None, Header(alias="idempotency-key", min_length=1, max_length=128)
    ] = None,
) -> tuple[AdjustmentOut, int]:
    return logic.adjust(
        services,
        caller_actor(app),
        id,
        amount=adjustment.amount,
        reason=adjustment.reason,
        idempotency_key=idempotency_key,
        origin=origin(),
    ), HTTPStatus.CREATED


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
