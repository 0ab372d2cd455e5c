"""SQS event sources, emulated like Lambda's event source mapping: receive a batch, invoke the function
with an SQS event, delete what succeeded.

- `ReportBatchItemFailures`, read as Lambda reads it: the messages named in `batchItemFailures` stay;
  no answer, no list or an empty one means the whole batch succeeded; a handler that raises, or an entry
  Lambda cannot use (no `itemIdentifier` key, an empty or null one, an id that is not in the batch) fails
  the whole batch.
- A failed message stays invisible for the queue's visibility timeout, counted on the local clock
  (`twtc_core.clock.CLOCK`) from its receipt: it is received again once the clock has passed that time
  (moving the clock with `POST /_local/clock` releases it), and moto moves it to the DLQ on the receive
  after `maxReceiveCount` (the queue's redrive policy), as SQS does.
- `drain()` moves the local clock past each pending visibility timeout, so a poison message reaches the
  DLQ without waiting in real time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import boto3
from botocore.exceptions import ClientError

from local_runtime.events import REGION, sqs_event
from local_runtime.lambdas import LocalFunction
from twtc_core.clock import CLOCK
from twtc_core.observability import logger

IDLE_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class DrainReport:
    batches: int
    succeeded: int
    failed: int
    clock_advanced_seconds: float


def failed_message_ids(response: Any, batch_ids: set[str]) -> set[str]:
    """The messages a `ReportBatchItemFailures` answer leaves in the queue: the named ones, or the whole
    batch when an entry is unusable (Lambda's rule)."""
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return set()
    named: set[Any] = (
        {failure.get("itemIdentifier") if isinstance(failure, dict) else None for failure in failures}
        if isinstance(failures, list)
        else {None}
    )
    if not named <= batch_ids:
        logger.error("unusable batchItemFailures: the whole batch failed", extra={"response": response})
        return batch_ids
    return named


class QueuePoller:
    def __init__(self, queue_name: str, queue_url: str, function: LocalFunction, batch_size: int) -> None:
        self.queue_name = queue_name
        self.function = function
        self._queue_url = queue_url
        self._batch_size = batch_size
        self._sqs: Any = boto3.client("sqs", region_name=REGION)
        attributes = self._sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["QueueArn", "VisibilityTimeout"]
        )["Attributes"]
        self._queue_arn = attributes["QueueArn"]
        self._visibility_timeout = timedelta(seconds=int(attributes["VisibilityTimeout"]))
        self._invisible_until: dict[str, datetime] = {}  # receipt handle of a failed message -> local time
        self._polling = threading.Lock()

    def poll_once(self) -> tuple[int, int]:
        """Release the failed messages whose visibility timeout has passed, then one batch:
        (succeeded, failed)."""
        with self._polling:
            self._release_due()
            messages = self._sqs.receive_message(
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=self._batch_size,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not messages:
                return 0, 0
            visible_again_at = CLOCK.now() + self._visibility_timeout
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
                self._invisible_until[message["ReceiptHandle"]] = visible_again_at
            return len(succeeded), len(failed)

    def _invoke(self, messages: list[dict[str, Any]]) -> set[str]:
        batch_ids = {m["MessageId"] for m in messages}
        try:
            response = self.function.invoke(sqs_event(messages, self._queue_arn))
        except Exception:
            logger.exception("queue consumer failed the whole batch", extra={"queue": self.queue_name})
            return batch_ids
        return failed_message_ids(response, batch_ids)

    def _release_due(self) -> None:
        """Make visible the failed messages whose visibility timeout has passed on the local clock (moto
        counts it in real time, which the local clock never lags behind)."""
        now = CLOCK.now()
        for receipt_handle, due in list(self._invisible_until.items()):
            if due > now:
                continue
            del self._invisible_until[receipt_handle]
            with contextlib.suppress(ClientError):  # moto's own (real-time) timeout already released it
                self._sqs.change_message_visibility(
                    QueueUrl=self._queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=0
                )

    def _seconds_until_next_release(self) -> float | None:
        with self._polling:
            if not self._invisible_until:
                return None
            return max((min(self._invisible_until.values()) - CLOCK.now()).total_seconds(), 0.0)

    def drain(self, advance_clock: Callable[[float], object] = CLOCK.advance) -> DrainReport:
        """Process until the queue has nothing left to deliver: failures are retried, the local clock
        moved past each visibility timeout, until they succeed or are moved to the DLQ."""
        batches = succeeded = failed = 0
        advanced = 0.0
        while True:
            ok, ko = self.poll_once()
            if ok or ko:
                batches, succeeded, failed = batches + 1, succeeded + ok, failed + ko
                continue
            wait = self._seconds_until_next_release()
            if wait is None:
                return DrainReport(batches, succeeded, failed, advanced)
            advance_clock(wait)
            advanced += wait

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                busy = any(self.poll_once())
            except Exception:
                logger.exception("queue poller error", extra={"queue": self.queue_name})
                busy = False
            if not busy:
                stop.wait(IDLE_POLL_SECONDS)
