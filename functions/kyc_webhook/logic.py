"""The KYC provider's webhook: only a correctly signed, recent delivery of an event not seen before changes
anything. A verdict on an unknown submission, or on one no longer PENDING, is acknowledged and logged (the
provider stops retrying; there is nothing to change)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from twtc_core.clock import utc_now
from twtc_core.errors import Forbidden, Invalid, Unauthenticated
from twtc_core.kyc import webhooks
from twtc_core.kyc.decisions import Decisions
from twtc_core.kyc.models import KycStatus
from twtc_core.kyc.providers import KycProvider, UnreadableWebhook
from twtc_core.kyc.store import Decided
from twtc_core.observability import logger

PROVIDER = "provider"


class InvalidSignature(Unauthenticated):
    code = "invalid_signature"


class StaleSignature(Forbidden):
    code = "stale_signature"


class ReplayedEvent(Forbidden):
    code = "webhook_replayed"


class UnreadableBody(Invalid):
    code = "invalid_webhook"


class WebhookAck(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"received": True, "result": "APPLIED"}]})

    received: bool = True
    result: str  # APPLIED | NOT_OPEN | UNKNOWN_KYC


@dataclass(frozen=True)
class WebhookServices:
    provider: KycProvider
    decisions: Decisions


def receive(services: WebhookServices, body: bytes, signature: str | None) -> WebhookAck:
    try:
        webhooks.verify(signature, body, services.provider.webhook_secret(), utc_now())
    except webhooks.BadSignature as error:
        raise InvalidSignature(str(error)) from None
    except webhooks.StaleSignature as error:
        raise StaleSignature(str(error)) from None
    try:
        payload = json.loads(body)
        decision = services.provider.decision_from(payload if isinstance(payload, dict) else {})
    except (ValueError, UnreadableWebhook):
        raise UnreadableBody("The body is not a verdict of the configured provider.") from None
    submission = services.decisions.store.get(decision.kyc_id)
    if submission is None:
        logger.warning(
            "KYC webhook for an unknown submission acknowledged", extra={"kyc_id": decision.kyc_id}
        )
        return WebhookAck(result="UNKNOWN_KYC")
    outcome = services.decisions.apply(
        submission,
        decision.status,
        decision.reason,
        PROVIDER,
        allowed_from=(KycStatus.PENDING,),
        event_id=decision.event_id,
    )
    if outcome is Decided.REPLAYED:
        raise ReplayedEvent("This event was received before; nothing changed.")
    if outcome is Decided.NOT_OPEN:
        logger.warning(
            "KYC webhook for a decided submission acknowledged", extra={"kyc_id": submission.kyc_id}
        )
    return WebhookAck(result=outcome.value)
