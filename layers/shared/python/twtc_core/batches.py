"""SQS batches as every queue worker handles them: each record on its own (partial batch response), so a
bad record is retried by SQS and ends in the DLQ after the queue's max receive count, alone. DynamoDB
stream batches likewise: Lambda retries from the first failed record (bisecting), and a record that keeps
failing goes to the source's on-failure destination."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext


def process_sqs_batch(
    event: dict[str, Any], context: LambdaContext, record_handler: Callable[[SQSRecord], Any]
) -> PartialItemFailureResponse:
    # A processor per invocation (it holds the batch's results). A batch whose every record failed is
    # reported like any other, record by record, rather than as an invocation error.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )


def process_stream_batch(
    event: dict[str, Any], context: LambdaContext, record_handler: Callable[[DynamoDBRecord], Any]
) -> PartialItemFailureResponse:
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
