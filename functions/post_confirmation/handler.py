"""PostConfirmation trigger handler: queue the confirmed user's provisioning."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import (
    PostConfirmationTriggerEvent,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.post_confirmation import logic
from twtc_core.accounts.queues import ProvisioningQueue
from twtc_core.observability import logger, tracer
from twtc_core.settings import BaseFunctionSettings


class PostConfirmationSettings(BaseFunctionSettings):
    provisioning_queue_url: str


settings = PostConfirmationSettings()
queue = ProvisioningQueue(settings.provisioning_queue_url, settings.aws_region)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@event_source(data_class=PostConfirmationTriggerEvent)
def lambda_handler(event: PostConfirmationTriggerEvent, context: LambdaContext) -> dict[str, Any]:
    logic.on_confirmation(queue, event.trigger_source, event.request.user_attributes["sub"])
    return event.raw_event
