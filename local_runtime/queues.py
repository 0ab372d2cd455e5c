"""SQS event sources, emulated like Lambda's event source mapping: receive a batch, invoke the function
with an SQS event, delete what succeeded.

- `ReportBatchItemFailures`: the ids in `batchItemFailures` stay; a handler that raises fails the batch.
- A failed message becomes visible again and is received again; moto moves it to the DLQ on the receive
  after `maxReceiveCount` (the queue's redrive policy), as SQS does.
- Locally a failed message is made visible again at once (ChangeMessageVisibility 0) instead of after the
  queue's visibility timeout: the redrive outcome is the same, without the wait.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import boto3

from local_runtime.events import REGION, sqs_event
from local_runtime.lambdas import LocalFunction
from twtc_core.observability import logger

IDLE_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class DrainReport:
    batches: int
    succeeded: int
    failed: int


class QueuePoller:
    def __init__(self, queue_name: str, queue_url: str, function: LocalFunction, batch_size: int) -> None:
        self.queue_name = queue_name
        self.function = function
        self._queue_url = queue_url
        self._batch_size = batch_size
        self._sqs: Any = boto3.client("sqs", region_name=REGION)
        self._queue_arn = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        self._polling = threading.Lock()

    def poll_once(self) -> tuple[int, int]:
        """One batch: (succeeded, failed)."""
        with self._polling:
            messages = self._sqs.receive_message(
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=self._batch_size,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not messages:
                return 0, 0
            failed_ids = self._invoke(messages)
            failed = [m for m in messages if m["MessageId"] in failed_ids]
            succeeded = [m for m in messages if m["MessageId"] not in failed_ids]
            if succeeded:
                self._sqs.delete_message_batch(
                    QueueUrl=self._queue_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(succeeded)
                    ],
                )
            for message in failed:
                self._sqs.change_message_visibility(
                    QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            return len(succeeded), len(failed)

    def _invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        try:
            response = self.function.invoke(sqs_event(messages, self._queue_arn))
        except Exception:
            logger.exception("queue consumer failed the whole batch", extra={"queue": self.queue_name})
            return {m["MessageId"] for m in messages}
        failures = (response or {}).get("batchItemFailures", []) if isinstance(response, dict) else []
        return {failure["itemIdentifier"] for failure in failures}

    def drain(self) -> DrainReport:
        """Process until the queue has nothing left to deliver (failures are retried until they succeed or
        are moved to the DLQ)."""
        batches = succeeded = failed = 0
        while True:
            ok, ko = self.poll_once()
            if not ok and not ko:
                return DrainReport(batches, succeeded, failed)
            batches, succeeded, failed = batches + 1, succeeded + ok, failed + ko

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                busy = any(self.poll_once())
            except Exception:
                logger.exception("queue poller error", extra={"queue": self.queue_name})
                busy = False
            if not busy:
                stop.wait(IDLE_POLL_SECONDS)
