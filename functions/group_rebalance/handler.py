"""Weekly group rebalance handler: the scheduled event starts one logic call."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.connections import ConnectionStore
from twtc_core.earning.rebalance import RebalanceServices, rebalance_groups
from twtc_core.earning.sessions import MiningStore
from twtc_core.earning.settings import EarningSettings
from twtc_core.observability import logger, metrics, tracer
from twtc_core.push import Pusher

services = RebalanceServices(
    profiles=ProfileStore(),
    groups=GroupStore(),
    sessions=MiningStore(),
    pusher=Pusher(ConnectionStore()),
    group_count=EarningSettings().mining_groups,
)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return asdict(rebalance_groups(services))
