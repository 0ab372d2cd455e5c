"""Driving the fraud evaluator in tests: the security table's real (moto) stream, delivered like Lambda's
event source, and what the evaluator left behind."""

from __future__ import annotations

import json
from typing import Any

import boto3

from functions.auth.handler import lambda_handler as auth_handler
from functions.fraud_evaluator.handler import lambda_handler as evaluator_handler
from infra_cdk.wiring import SECURITY, function
from local_runtime.events import REGION
from local_runtime.lambdas import LocalFunction
from local_runtime.streams import StreamPoller
from tests.support import accounts
from twtc_core.fraud.store import FraudStore


def evaluator_stream() -> StreamPoller:
    """The evaluator on the security table's stream, from its start (create it once per test)."""
    [source] = function("fraud_evaluator").stream_sources
    return StreamPoller(SECURITY, source, LocalFunction("fraud_evaluator", evaluator_handler))


MUMBAI = {"cloudfront-viewer-latitude": "19.0760", "cloudfront-viewer-longitude": "72.8777"}
LONDON = {"cloudfront-viewer-latitude": "51.5072", "cloudfront-viewer-longitude": "-0.1276"}


def log_in_from(account: accounts.Account, place: dict[str, str]) -> dict[str, Any]:
    """Log in through CloudFront from a viewer at `place` (its latitude/longitude headers); the tokens."""
    body = {"username": account.username, "password": accounts.PASSWORD, "device_id": account.device_id}
    headers = {**accounts.from_ip("203.0.113.9"), **place}
    status, tokens, _ = accounts.call(
        auth_handler, "http_api_auth_login", caller=None, body=body, headers=headers
    )
    assert status == 200, tokens
    return dict(tokens)


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
