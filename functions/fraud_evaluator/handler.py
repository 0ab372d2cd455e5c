"""Fraud evaluator handler: the security table's stream (filtered to new ACTIVITY# items), each record on
its own (partial batch response)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.fraud_evaluator import logic
from twtc_core.accounts.sessions import SessionGate
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.batches import process_stream_batch
from twtc_core.fraud.alerts import FraudAlerts
from twtc_core.fraud.store import FraudStore, action_from_image
from twtc_core.fraud.trust import trust_services
from twtc_core.observability import logger, metrics, tracer
from twtc_core.settings import BaseFunctionSettings
from twtc_core.stats import StatsStore


class EvaluatorSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    fraud_alerts_topic_arn: str
    fraud_cooldown_seconds: int


settings = EvaluatorSettings()
services = logic.EvaluatorServices(
    fraud=FraudStore(),
    devices=DeviceStore(),
    alerts=FraudAlerts(settings.fraud_alerts_topic_arn, settings.aws_region),
    trust=trust_services(
        settings.user_pool_id,
        settings.user_pool_client_id,
        settings.aws_region,
        settings.fraud_cooldown_seconds,
        SessionGate(),
    ),
    stats=StatsStore(),
)


def evaluate(record: DynamoDBRecord) -> list[str]:
    return logic.evaluate(services, action_from_image(record.raw_event["dynamodb"]["NewImage"]))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_stream_batch(event, context, evaluate)
