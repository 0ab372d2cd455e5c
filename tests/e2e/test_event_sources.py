"""Queues and schedules, emulated like Lambda's event sources and EventBridge."""

from __future__ import annotations

import json

import boto3
import httpx
import pytest

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

    drained = api.post(f"/_local/queues/{POISON_QUEUE.name}/drain")
    assert drained.status_code == 200
    # Each retry waited out the queue's visibility timeout on the local clock, which the drain moved
    waits = POISON_QUEUE.max_receive_count * POISON_QUEUE.visibility_timeout_seconds
    assert drained.json()["clock_advanced_seconds"] == pytest.approx(waits, abs=5)

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


def post_clock(api: httpx.Client, body: bytes) -> tuple[int, str]:
    response = api.post("/_local/clock", content=body, headers={"Content-Type": "application/json"})
    return response.status_code, response.json()["error"]["code"]


@pytest.mark.parametrize("seconds", ["-60", "1e308", str(366 * 24 * 60 * 60 + 1), "NaN", '"60"', "true"])
def test_the_clock_only_moves_forward_by_at_most_a_year(api: httpx.Client, seconds: str) -> None:
    body = f'{{"advance_seconds": {seconds}}}'.encode()
    assert post_clock(api, body) == (422, "validation_failed")


@pytest.mark.parametrize("body", [b"not json", b"", b"\xff"])
def test_a_clock_request_that_is_not_json_is_400(api: httpx.Client, body: bytes) -> None:
    assert post_clock(api, body) == (400, "malformed_request")
