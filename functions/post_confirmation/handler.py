"""PostConfirmation trigger handler: read the confirmed user, provision the account."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
    PostConfirmationTriggerEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.post_confirmation import logic
from functions.post_confirmation.messaging import ReferralQueue
from functions.post_confirmation.models import ConfirmedUser
from twtc_core.accounts.store import UsersStore
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, tracer
from twtc_core.settings import BaseFunctionSettings


class PostConfirmationSettings(BaseFunctionSettings):
    referral_rewards_queue_url: str
    signup_bonus: int = 1_000
    call_rate_per_minute: int = 1_000
    mining_groups: int = 10


settings = PostConfirmationSettings()
services = logic.Provisioner(
    users=UsersStore(),
    ledger=Ledger(),
    queue=ReferralQueue(settings.referral_rewards_queue_url, settings.aws_region),
    rules=logic.ProvisioningRules(
        signup_bonus=settings.signup_bonus,
        default_call_rate=settings.call_rate_per_minute,
        group_count=settings.mining_groups,
    ),
)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@event_source(data_class=PostConfirmationTriggerEvent)
def lambda_handler(event: PostConfirmationTriggerEvent, context: LambdaContext) -> dict[str, Any]:
    user = ConfirmedUser.from_attributes(event.request.user_attributes)
    logic.on_confirmation(services, event.trigger_source, user)
    return event.raw_event
