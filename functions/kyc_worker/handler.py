"""KYC retry queue consumer: each record is a submission the provider could not take during an outage,
sent again; an outage still going on fails the record alone (SQS redelivers it, the DLQ ends it)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from twtc_core.batches import process_sqs_batch
from twtc_core.kyc.providers import configured_provider
from twtc_core.kyc.store import KycStore
from twtc_core.kyc.verification import Verification
from twtc_core.observability import logger, metrics, tracer

verification = Verification(configured_provider(), KycStore())


def resend(record: SQSRecord) -> str:
    return verification.retry(record.body)


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_sqs_batch(event, context, resend)
