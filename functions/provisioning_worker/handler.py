"""Provisioning queue consumer: each record asks for one confirmed user's account; a record that fails
fails alone (partial batch response), is retried by SQS and ends in the DLQ after the max receive count."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.provisioning_worker import logic
from functions.provisioning_worker.models import ProvisioningRequest
from twtc_core.accounts.queues import ReferralQueue
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.batches import process_sqs_batch
from twtc_core.cognito import UserPool
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.settings import BaseFunctionSettings
from twtc_core.stats import StatsStore


class ProvisioningSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    referral_rewards_queue_url: str
    signup_bonus: int
    call_rate_per_minute: int
    mining_groups: int


settings = ProvisioningSettings()
services = logic.Provisioner(
    profiles=ProfileStore(),
    codes=CodeStore(),
    groups=GroupStore(),
    devices=DeviceStore(),
    referrals=ReferralStore(),
    ledger=Ledger(),
    pool=UserPool(settings.user_pool_id, settings.user_pool_client_id, settings.aws_region),
    referral_queue=ReferralQueue(settings.referral_rewards_queue_url, settings.aws_region),
    rules=logic.ProvisioningRules(
        signup_bonus=settings.signup_bonus,
        default_call_rate=settings.call_rate_per_minute,
        group_count=settings.mining_groups,
    ),
    inboxes=InboxStore(),
    stats=StatsStore(),
)


def provision(record: SQSRecord) -> bool:
    return logic.provision_account(services, ProvisioningRequest.model_validate_json(record.body).user_id)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_sqs_batch(event, context, provision)
