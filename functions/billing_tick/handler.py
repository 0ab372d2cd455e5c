"""Billing tick (EventBridge, every minute): bills active calls' started minutes."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.billing_tick import logic
from twtc_core.calls.service import call_service
from twtc_core.clock import utc_now
from twtc_core.observability import logger, metrics, tracer

service = call_service()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    report = logic.tick(service, utc_now())
    logger.info("billing tick", extra=logic.summary(report))
    return logic.summary(report)
