"""The local SQS event source against moto: batches, partial failures, redrive to the DLQ."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from infra_cdk.wiring import QueueSpec
from local_runtime.lambdas import LocalFunction
from local_runtime.queues import QueuePoller
from local_runtime.resources import create_queue

QUEUE = QueueSpec("poller_test", max_receive_count=3)


class Consumer:
    """Records every batch; fails the messages marked poison, or raises when told to."""

    def __init__(self, raises: bool = False) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.raises = raises

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.batches.append([json.loads(record["body"]) for record in event["Records"]])
        if self.raises:
            raise RuntimeError("the whole batch fails")
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["messageId"]}
                for r in event["Records"]
                if json.loads(r["body"]).get("poison")
            ]
        }


@pytest.fixture
def sqs(aws: dict[str, str]) -> Any:
    return boto3.client("sqs", region_name="us-east-1")


@pytest.fixture
def queue_url(sqs: Any) -> str:
    return create_queue(sqs, QUEUE)


def dlq_bodies(sqs: Any) -> list[dict[str, Any]]:
    url = sqs.get_queue_url(QueueName=f"twtc-{QUEUE.name}-dlq")["QueueUrl"]
    return [
        json.loads(m["Body"])
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    ]


def send(sqs: Any, queue_url: str, *bodies: dict[str, Any]) -> None:
    for body in bodies:
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(body))


def test_messages_arrive_in_batches_of_the_declared_size(sqs: Any, queue_url: str) -> None:
    consumer = Consumer()
    send(sqs, queue_url, *({"n": n} for n in range(5)))
    report = QueuePoller(QUEUE.name, queue_url, LocalFunction("c", consumer), batch_size=2).drain()
    assert (report.batches, report.succeeded, report.failed) == (3, 5, 0)
    assert sorted(len(batch) for batch in consumer.batches) == [1, 2, 2]
    assert dlq_bodies(sqs) == []


def test_only_reported_failures_are_retried_and_they_end_in_the_dlq(sqs: Any, queue_url: str) -> None:
    consumer = Consumer()
    send(sqs, queue_url, {"n": 1}, {"n": 2, "poison": True})
    report = QueuePoller(QUEUE.name, queue_url, LocalFunction("c", consumer), batch_size=10).drain()
    assert (report.succeeded, report.failed) == (1, QUEUE.max_receive_count)
    assert sum(batch.count({"n": 1}) for batch in consumer.batches) == 1
    assert dlq_bodies(sqs) == [{"n": 2, "poison": True}]


def test_a_handler_that_raises_fails_the_whole_batch(sqs: Any, queue_url: str) -> None:
    consumer = Consumer(raises=True)
    send(sqs, queue_url, {"n": 1}, {"n": 2})
    QueuePoller(QUEUE.name, queue_url, LocalFunction("c", consumer), batch_size=10).drain()
    assert sorted(body["n"] for body in dlq_bodies(sqs)) == [1, 2]
    assert len(consumer.batches) >= QUEUE.max_receive_count


@pytest.mark.parametrize(
    "unusable_entry",
    [
        {"itemIdentifier": ""},
        {"itemIdentifier": None},
        {"messageId": "the wrong key"},
        {"itemIdentifier": "a message that is not in the batch"},
    ],
)
def test_an_unusable_failure_entry_fails_the_whole_batch_as_lambda_does(
    sqs: Any, queue_url: str, unusable_entry: dict[str, Any]
) -> None:
    # Given a consumer that reports one well-formed failure and one entry Lambda cannot use
    def consumer(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}, unusable_entry]}

    send(sqs, queue_url, {"n": 1}, {"n": 2})
    # When one batch is processed
    succeeded, failed = QueuePoller(QUEUE.name, queue_url, LocalFunction("c", consumer), 10).poll_once()
    # Then nothing is deleted: both messages come back
    assert (succeeded, failed) == (0, 2)


@pytest.mark.parametrize("response", [None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}])
def test_no_reported_failure_is_a_successful_batch(sqs: Any, queue_url: str, response: Any) -> None:
    send(sqs, queue_url, {"n": 1})
    poller = QueuePoller(QUEUE.name, queue_url, LocalFunction("c", lambda event, context: response), 10)
    assert poller.poll_once() == (1, 0)


def test_a_failed_message_comes_back_only_after_the_visibility_timeout_on_the_local_clock(
    sqs: Any, queue_url: str, clock: Any
) -> None:
    # Given a consumer that fails a message once (a transient failure)
    attempts: list[str] = []

    def fails_once(event: dict[str, Any], context: Any) -> dict[str, Any]:
        attempts.extend(record["messageId"] for record in event["Records"])
        failed = [{"itemIdentifier": record["messageId"]} for record in event["Records"]]
        return {"batchItemFailures": failed if len(attempts) == 1 else []}

    poller = QueuePoller(QUEUE.name, queue_url, LocalFunction("c", fails_once), 10)
    send(sqs, queue_url, {"n": 1})
    assert poller.poll_once() == (0, 1)
    # When polled again before the queue's visibility timeout has passed on the local clock
    clock.advance(QUEUE.visibility_timeout_seconds - 1)
    # Then the message is not delivered yet
    assert poller.poll_once() == (0, 0)
    # And once the clock passes it, the retry succeeds
    clock.advance(1)
    assert poller.poll_once() == (1, 0)
    assert len(attempts) == 2 and dlq_bodies(sqs) == []


def test_draining_moves_the_local_clock_past_each_visibility_timeout(sqs: Any, queue_url: str) -> None:
    send(sqs, queue_url, {"n": 1, "poison": True})
    report = QueuePoller(QUEUE.name, queue_url, LocalFunction("c", Consumer()), batch_size=10).drain()
    assert report.failed == QUEUE.max_receive_count
    assert report.clock_advanced_seconds == QUEUE.max_receive_count * QUEUE.visibility_timeout_seconds
