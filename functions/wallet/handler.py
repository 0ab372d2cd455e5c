"""Wallet API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.wallet import logic
from functions.wallet.models import TransactionPageOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.ledger import Ledger, WalletNotFound
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from twtc_core.wallet_views import WalletOut

app = build_resolver()
ledger = Ledger()


@app.get("/v1/wallet", summary="My wallet", responses=documented(WalletOut, WalletNotFound))
def get_wallet() -> WalletOut:
    return logic.wallet_summary(ledger, caller_id(app))


@app.get(
    "/v1/wallet/transactions",
    summary="My transactions, newest first",
    responses=documented(TransactionPageOut, WalletNotFound),
)
def list_transactions(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> TransactionPageOut:
    return logic.transactions(ledger, caller_id(app), limit, cursor)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
