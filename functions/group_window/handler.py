"""Group window handler: EventBridge sends the group (the schedule's constant input); one logic call."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from twtc_core.connections import ConnectionStore
from twtc_core.earning import mining
from twtc_core.earning.settings import EarningSettings
from twtc_core.observability import logger, metrics, tracer
from twtc_core.push import Pusher

settings = EarningSettings()
services = mining.MiningServices.wired(settings)
pusher = Pusher(ConnectionStore())


class GroupWindowInput(BaseModel):
    group: int = Field(ge=1, le=settings.mining_groups)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = mining.run_group_window(services, pusher, GroupWindowInput.model_validate(event).group)
    return asdict(run)
