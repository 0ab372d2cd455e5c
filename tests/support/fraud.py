"""Driving the fraud evaluator in tests: the security table's real (moto) stream, delivered like Lambda's
event source, and what the evaluator left behind."""

from __future__ import annotations

import json
from typing import Any

import boto3

from functions.fraud_evaluator.handler import lambda_handler as evaluator_handler
from infra_cdk.wiring import SECURITY, function
from local_runtime.events import REGION
from local_runtime.lambdas import LocalFunction
from local_runtime.streams import StreamPoller
from twtc_core.fraud.store import FraudStore


def evaluator_stream() -> StreamPoller:
    """The evaluator on the security table's stream, from its start (create it once per test)."""
    [source] = function("fraud_evaluator").stream_sources
    return StreamPoller(SECURITY, source, LocalFunction("fraud_evaluator", evaluator_handler))


def fraud_types(user_id: str) -> list[str]:
    state = FraudStore().trust_of(user_id)
    return sorted(event.type for event in state.events)


def alerts_queue() -> str:
    """An SQS queue subscribed to the fraud alerts topic, to read what admins were sent."""
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="fraud-alerts-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns = boto3.client("sns", region_name=REGION)
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith("fraud_alerts"))
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    return str(url)


def alerts_in(url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs", region_name=REGION)
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(message["Body"]) for message in messages]
