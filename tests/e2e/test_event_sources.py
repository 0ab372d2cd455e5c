"""Queues and schedules, emulated like Lambda's event sources and EventBridge."""

from __future__ import annotations

import json

import boto3
import httpx

from tests.e2e.conftest import Runtime
from tests.e2e.local_plugin import POISON_QUEUE

DAY_AND_AN_HOUR = 25 * 60 * 60


def test_a_message_that_keeps_failing_lands_in_the_dlq_after_max_receive_count(
    runtime: Runtime, api: httpx.Client
) -> None:
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=runtime.aws_endpoint)
    queue_url = sqs.get_queue_url(QueueName=f"twtc-{POISON_QUEUE.name}")["QueueUrl"]
    dlq_url = sqs.get_queue_url(QueueName=f"twtc-{POISON_QUEUE.name}-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"poison": False, "n": 1}))
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"poison": True, "n": 2}))

    assert api.post(f"/_local/queues/{POISON_QUEUE.name}/drain").status_code == 200

    dead = sqs.receive_message(QueueUrl=dlq_url, AttributeNames=["All"], MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"]) for m in dead] == [{"poison": True, "n": 2}]
    assert int(dead[0]["Attributes"]["ApproximateReceiveCount"]) >= POISON_QUEUE.max_receive_count
    left = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert (left["ApproximateNumberOfMessages"], left["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0")


def test_draining_an_unknown_queue_is_404(api: httpx.Client) -> None:
    assert api.post("/_local/queues/nope/drain").status_code == 404


def test_a_schedule_runs_when_the_clock_passes_its_time(api: httpx.Client) -> None:
    before = {s["name"]: s for s in api.get("/_local/schedules").json()["items"]}["ledger-reconcile"]
    moved = api.post("/_local/clock", json={"advance_seconds": DAY_AND_AN_HOUR})
    assert moved.status_code == 200
    assert "ledger-reconcile" in moved.json()["ran"]
    after = {s["name"]: s for s in api.get("/_local/schedules").json()["items"]}["ledger-reconcile"]
    assert after["runs"] == before["runs"] + 1
    assert after["last_run"]["ok"] and after["last_run"]["result"]["ok"]
    assert after["last_run"]["at"] == before["next_due"]  # the event's time is the scheduled time
    assert after["next_due"] > moved.json()["now"]


def test_a_schedule_can_be_run_now(api: httpx.Client) -> None:
    response = api.post("/_local/schedules/ledger-reconcile")
    assert response.status_code == 200 and response.json()["last_run"]["ok"]
    assert api.post("/_local/schedules/nope").status_code == 404


def test_the_clock_only_moves_forward(api: httpx.Client) -> None:
    response = api.post("/_local/clock", json={"advance_seconds": -60})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "validation_failed")
