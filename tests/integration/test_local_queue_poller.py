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
