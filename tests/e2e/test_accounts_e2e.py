"""Accounts and referrals over HTTP against the local runtime: Cognito (with its codes in the outbox and
its triggers), the referral queue and its worker, as the app and a developer would drive them.

The runtime is shared by the session, so every test uses its own emails and its own viewer addresses
(CloudFront's `CloudFront-Viewer-Address`, passed through by the local gateway)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import httpx
import pytest

from tests.e2e.conftest import Runtime
from tests.support.e2e_users import PASSWORD, User, new_user, sign_up, viewer


def referral_entries(api: httpx.Client, user: User) -> list[str]:
    page = api.get("/v1/wallet/transactions", headers=user.auth).json()
    return [t["id"] for t in page["items"] if t["type"] == "REFERRAL"]


def drain(api: httpx.Client) -> None:
    assert api.post("/_local/queues/referral_rewards/drain").status_code == 200


@pytest.fixture
def sqs(runtime: Runtime) -> Any:
    return boto3.client("sqs", region_name="us-east-1", endpoint_url=runtime.aws_endpoint)


def test_a_referral_is_rewarded_once_however_often_its_message_arrives(api: httpx.Client, sqs: Any) -> None:
    # Given A, and B who signed up with A's code and confirmed
    asha = new_user(api, "asha")
    code = api.get("/v1/me", headers=asha.auth).json()["referral_code"]
    bala = new_user(api, "bala", referral_code=code)

    # When the queue drains
    drain(api)

    # Then each holds exactly one REFERRAL entry
    assert referral_entries(api, asha) == [f"referral:{bala.user_id}:referrer"]
    assert referral_entries(api, bala) == [f"referral:{bala.user_id}:referee"]
    # and the same message delivered 5 more times changes nothing
    queue_url = sqs.get_queue_url(QueueName="twtc-referral_rewards")["QueueUrl"]
    for _ in range(5):
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"referral_id": bala.user_id}))
    drain(api)
    assert referral_entries(api, asha) == [f"referral:{bala.user_id}:referrer"]
    assert api.get("/v1/wallet", headers=asha.auth).json()["balance"] == 1_000 + 10_000
    referrals = api.get("/v1/referrals", headers=asha.auth).json()
    assert [(i["status"], i["reward"]) for i in referrals["items"]] == [("REWARDED", 10_000)]
    assert referrals["remaining"] == {"today": 9, "lifetime": 199}


def test_a_poison_reward_request_ends_in_the_dlq(api: httpx.Client, sqs: Any) -> None:
    queue_url = sqs.get_queue_url(QueueName="twtc-referral_rewards")["QueueUrl"]
    dlq_url = sqs.get_queue_url(QueueName="twtc-referral_rewards-dlq")["QueueUrl"]
    poison = {"referral_id": f"missing-{uuid.uuid4().hex}"}
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(poison))

    drain(api)

    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert poison in [json.loads(message["Body"]) for message in dead]


def test_refused_sign_ups_get_the_spec_errors(api: httpx.Client) -> None:
    headers = viewer()
    unknown = sign_up(api, f"x-{uuid.uuid4().hex[:8]}@example.com", headers, referral_code="ZZZZ2222")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "invalid_referral_code")
    weak = sign_up(api, f"x-{uuid.uuid4().hex[:8]}@example.com", headers, password="weak")
    assert (weak.status_code, weak.json()["error"]["code"]) == (422, "weak_password")
    phone = api.post(
        "/v1/auth/signup",
        json={"phone": "+91 12", "password": PASSWORD, "name": "P", "device_id": "e2e-phone-0001"},
        headers=headers,
    )
    assert (phone.status_code, phone.json()["error"]["code"]) == (422, "validation_failed")


def test_the_fourth_sign_up_from_one_viewer_is_429_with_retry_after(api: httpx.Client) -> None:
    headers = viewer()
    for _ in range(3):
        assert sign_up(api, f"quota-{uuid.uuid4().hex[:8]}@example.com", headers).status_code == 201

    fourth = sign_up(api, f"quota-{uuid.uuid4().hex[:8]}@example.com", headers)

    assert (fourth.status_code, fourth.json()["error"]["code"]) == (429, "too_many_signups")
    assert int(fourth.headers["Retry-After"]) > 0


def test_the_sixth_failed_login_is_429(api: httpx.Client) -> None:
    erin = new_user(api, "erin")
    wrong = {"username": erin.email, "password": "Wrong-Horse-9-Battery", "device_id": erin.device_id}
    for _ in range(5):
        assert api.post("/v1/auth/login", json=wrong).status_code == 401

    sixth = api.post("/v1/auth/login", json=wrong | {"password": PASSWORD})

    assert (sixth.status_code, sixth.json()["error"]["code"]) == (429, "too_many_login_attempts")
    assert int(sixth.headers["Retry-After"]) > 0


def test_a_user_only_ever_sees_their_own_data(api: httpx.Client) -> None:
    asha, bala = new_user(api, "asha"), new_user(api, "bala")

    assert api.get("/v1/me", headers=bala.auth).json()["id"] == bala.user_id
    assert api.get("/v1/me/export", headers=bala.auth).json()["user_id"] == bala.user_id
    assert api.get("/v1/referrals", headers=bala.auth).json()["items"] == []
    assert api.patch("/v1/me", json={"name": "Changed"}, headers=bala.auth).status_code == 200
    assert api.get("/v1/me", headers=asha.auth).json()["name"] == "Erin Example"


def test_export_then_erasure(api: httpx.Client) -> None:
    erin = new_user(api, "erin")
    export = api.get("/v1/me/export", headers=erin.auth).json()
    assert export["profile"]["email"] == erin.email
    assert [t["type"] for t in export["transactions"]] == ["SIGNUP_BONUS"]

    assert api.delete("/v1/me", headers=erin.auth).status_code == 204

    login = {"username": erin.email, "password": PASSWORD, "device_id": erin.device_id}
    assert api.post("/v1/auth/login", json=login).status_code == 401
    # her token ended with the account (the ledger is kept under her pseudonymous id: integration tests)
    assert api.get("/v1/me", headers=erin.auth).status_code == 401
    # nothing was left pending: the erasure sweeper, run now, finds nothing to finish
    sweep = api.post("/_local/schedules/erasure-sweeper").json()["last_run"]
    assert sweep["ok"] and sweep["result"] == {"finished": 0}
