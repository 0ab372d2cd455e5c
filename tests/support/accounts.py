"""Driving accounts through the real handlers: sign up, confirm with the emailed code, log in, and run
the referral worker on what the queue holds."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import boto3
import jwt

from functions.auth.handler import lambda_handler as auth_handler
from functions.provisioning_worker.handler import lambda_handler as provisioning_handler
from functions.referral_worker.handler import lambda_handler as worker_handler
from local_runtime.outbox import Outbox
from tests.support.events import FakeLambdaContext, body_of, event, http_event
from twtc_core.accounts.stores.profiles import ProfileStore

PASSWORD = "Str0ng!Passw0rd"


@dataclass(frozen=True)
class Account:
    user_id: str
    username: str
    device_id: str
    ip: str


def call(handler: Any, name: str, **kwargs: Any) -> tuple[int, Any, dict[str, str]]:
    response = handler(http_event(name, **kwargs), FakeLambdaContext())
    body = body_of(response) if response.get("body") else None
    return response["statusCode"], body, response.get("headers") or {}


def default_device(email: str) -> str:
    return f"device-{email.split('@', maxsplit=1)[0]}-0001"


def from_ip(ip: str) -> dict[str, str]:
    """Headers of a request CloudFront forwarded for a viewer at `ip`."""
    return {"cloudfront-viewer-address": f"{ip}:50312"}


def sign_up(
    email: str,
    *,
    name: str = "Test User",
    device_id: str | None = None,
    ip: str = "198.51.100.23",
    referral_code: str | None = None,
    password: str = PASSWORD,
) -> tuple[int, Any, dict[str, str]]:
    body: dict[str, Any] = {
        "email": email,
        "password": password,
        "name": name,
        "device_id": device_id or default_device(email),
    }
    if referral_code is not None:
        body["referral_code"] = referral_code
    return call(auth_handler, "http_api_auth_signup", caller=None, body=body, headers=from_ip(ip))


def sent_code(outbox: Outbox, to: str) -> str:
    return str(outbox.messages(to)[-1]["payload"]["code"])


def confirm(outbox: Outbox, username: str, code: str | None = None) -> tuple[int, Any, dict[str, str]]:
    body = {"username": username, "code": code or sent_code(outbox, username)}
    return call(auth_handler, "http_api_auth_confirm", caller=None, body=body)


def log_in(
    username: str, device_id: str, *, password: str = PASSWORD, ip: str = "198.51.100.23"
) -> tuple[int, Any, dict[str, str]]:
    body = {"username": username, "password": password, "device_id": device_id}
    return call(auth_handler, "http_api_auth_login", caller=None, body=body, headers=from_ip(ip))


def open_account(
    outbox: Outbox, email: str, *, ip: str = "198.51.100.23", referral_code: str | None = None, **kwargs: Any
) -> Account:
    """Sign up, confirm (which runs the post-confirmation trigger) and run the provisioning it queued."""
    device_id = kwargs.pop("device_id", None) or default_device(email)
    status, body, _ = sign_up(email, device_id=device_id, ip=ip, referral_code=referral_code, **kwargs)
    assert status == 201, body
    status, confirmed, _ = confirm(outbox, email)
    assert status == 200, confirmed
    assert run_provisioning() == {"batchItemFailures": []}
    return Account(user_id=body["user_id"], username=email, device_id=device_id, ip=ip)


def claims_of(token: str) -> dict[str, str]:
    """A token's claims as API Gateway's JWT authorizer hands them to a function (every value a string)."""
    payload = jwt.decode(token, options={"verify_signature": False})
    return {
        name: "[" + " ".join(value) + "]" if isinstance(value, list) else str(value)
        for name, value in payload.items()
    }


def queued_messages(queue_url_variable: str = "REFERRAL_REWARDS_QUEUE_URL") -> list[dict[str, Any]]:
    """Receive what the queue (the referral queue unless named) holds; each message's receive count goes
    up, as in SQS."""
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    response = sqs.receive_message(
        QueueUrl=os.environ[queue_url_variable],
        MaxNumberOfMessages=10,
        AttributeNames=["All"],
        VisibilityTimeout=0,
    )
    return [dict(message) for message in response.get("Messages", [])]


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The Lambda SQS event for received messages, in the shape of events/sqs_referral_rewards.json."""
    template = event("sqs_referral_rewards")["Records"][0]
    return {
        "Records": [
            {
                **template,
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "md5OfBody": message["MD5OfBody"],
                "attributes": {**template["attributes"], **message.get("Attributes", {})},
            }
            for message in messages
        ]
    }


def reward_message(referral_id: str) -> dict[str, Any]:
    return {
        "MessageId": f"message-{referral_id}",
        "ReceiptHandle": f"receipt-{referral_id}",
        "Body": json.dumps({"referral_id": referral_id}),
        "MD5OfBody": "0" * 32,
    }


def run_worker(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return worker_handler(sqs_event(messages), FakeLambdaContext())


def provisioning_message(user_id: str, copy: int = 0) -> dict[str, Any]:
    return reward_message(f"{user_id}-{copy}") | {"Body": json.dumps({"user_id": user_id})}


def run_provisioning_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return provisioning_handler(sqs_event(messages), FakeLambdaContext())


def run_provisioning() -> dict[str, Any]:
    """Deliver what the provisioning queue holds to the provisioning worker and, as Lambda's event source
    does, delete the messages it processed."""
    messages = queued_messages("PROVISIONING_QUEUE_URL")
    if not messages:
        return {"batchItemFailures": []}
    response = run_provisioning_of(messages)
    failed = {failure["itemIdentifier"] for failure in response["batchItemFailures"]}
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    for message in messages:
        if message["MessageId"] not in failed:
            sqs.delete_message(
                QueueUrl=os.environ["PROVISIONING_QUEUE_URL"], ReceiptHandle=message["ReceiptHandle"]
            )
    return response


def footprint() -> dict[str, int]:
    """How much exists: Cognito users, items in the users and ledger tables, queued reward requests."""
    region = os.environ["AWS_REGION"]
    cognito = boto3.client("cognito-idp", region_name=region)
    dynamodb = boto3.client("dynamodb", region_name=region)
    sqs = boto3.client("sqs", region_name=region)
    queued = sqs.get_queue_attributes(
        QueueUrl=os.environ["REFERRAL_REWARDS_QUEUE_URL"], AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]["ApproximateNumberOfMessages"]
    return {
        "cognito_users": len(cognito.list_users(UserPoolId=os.environ["USER_POOL_ID"])["Users"]),
        "users_items": dynamodb.scan(TableName=os.environ["USERS_TABLE_NAME"], Select="COUNT")["Count"],
        "ledger_items": dynamodb.scan(TableName=os.environ["LEDGER_TABLE_NAME"], Select="COUNT")["Count"],
        "queued": int(queued),
    }


def referral_code_of(user_id: str) -> str:
    profile = ProfileStore().get(user_id)
    assert profile is not None and profile.referral_code
    return profile.referral_code
