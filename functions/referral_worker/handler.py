"""Referral queue consumer: each record is one reward request; a bad record fails alone (partial batch
response), is retried by SQS and ends in the DLQ after the queue's max receive count."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.referral_worker import logic
from functions.referral_worker.models import RewardRequest
from twtc_core.accounts.rules import ReferralCaps
from twtc_core.accounts.settings import ReferralSettings
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.batches import process_sqs_batch
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import SecurityStore
from twtc_core.stats import StatsStore

settings = ReferralSettings()
services = logic.RewardServices(
    profiles=ProfileStore(),
    devices=DeviceStore(),
    referrals=ReferralStore(),
    ledger=Ledger(),
    security=SecurityStore(),
    stats=StatsStore(),
    rules=logic.RewardRules(
        referrer_reward=settings.referral_reward_referrer,
        referee_reward=settings.referral_reward_referee,
        caps=ReferralCaps(settings.referral_max_per_day, settings.referral_max_total),
    ),
)


def reward(record: SQSRecord) -> str:
    return logic.reward_referral(services, RewardRequest.model_validate_json(record.body).referral_id)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_sqs_batch(event, context, reward)
