"""Withdrawals API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.withdrawals import logic
from functions.withdrawals.models import WithdrawalIn, WithdrawalPageOut
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.edge import client_ip, user_agent
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from twtc_core.ratelimit import RateLimiter
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.settings import BaseFunctionSettings
from twtc_core.stats import StatsStore
from twtc_core.withdrawals.errors import WithdrawalNotFound
from twtc_core.withdrawals.sealing import DestinationSealer
from twtc_core.withdrawals.store import WithdrawalStore
from twtc_core.withdrawals.views import WithdrawalOut


class WithdrawalSettings(BaseFunctionSettings):
    min_withdrawal: int
    daily_withdrawal_limit: int
    wallet_transactions_per_hour: int
    payout_key_id: str


settings = WithdrawalSettings()
services = logic.WithdrawalServices(
    withdrawals=WithdrawalStore(),
    ledger=Ledger(),
    profiles=ProfileStore(),
    limiter=RateLimiter(),
    security=SecurityStore(),
    limits=logic.WithdrawalLimits(
        settings.min_withdrawal, settings.daily_withdrawal_limit, settings.wallet_transactions_per_hour
    ),
    sealer=DestinationSealer(settings.payout_key_id, settings.aws_region),
    stats=StatsStore(),
)
app = build_resolver()
CREATED = documented(
    WithdrawalOut,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.CONFLICT,
    HTTPStatus.UNPROCESSABLE_ENTITY,
    HTTPStatus.TOO_MANY_REQUESTS,
    status=HTTPStatus.CREATED,
    description="Requested; the amount is held until an admin pays or rejects it.",
)
MINE = documented(WithdrawalOut, WithdrawalNotFound)
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="idempotency-key",
        min_length=1,
        max_length=128,
        description="Repeat a request safely: the same key and body give the first answer.",
    ),
]


@app.post("/v1/wallet/withdrawals", summary="Request a withdrawal (KYC verified)", responses=CREATED)
def request_withdrawal(
    request: WithdrawalIn, idempotency_key: IdempotencyKey = None
) -> tuple[WithdrawalOut, int]:
    origin = RequestOrigin(ip=client_ip(app), user_agent=user_agent(app))
    return logic.request_withdrawal(
        services, caller_id(app), request, idempotency_key, origin
    ), HTTPStatus.CREATED


@app.get("/v1/wallet/withdrawals", summary="My withdrawals, newest first")
def list_withdrawals(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> WithdrawalPageOut:
    return logic.my_withdrawals(services, caller_id(app), limit, cursor)


@app.get("/v1/wallet/withdrawals/<id>", summary="One of my withdrawals", responses=MINE)
def get_my_withdrawal(id: str) -> WithdrawalOut:
    return logic.my_withdrawal(services, caller_id(app), id)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
