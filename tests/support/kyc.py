"""Driving KYC through the real handlers: a Karza-style provider on an httpx mock transport (it records
what it was sent and can be told to fail), documents put straight into the (moto) bucket, and signed
provider webhooks."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import boto3
import httpx
import pytest

from functions.kyc import handler as kyc_handler
from functions.kyc_webhook.handler import lambda_handler as webhook_handler
from functions.kyc_worker import handler as worker_handler
from local_runtime.kyc_provider import LOCAL_API_KEY, LOCAL_WEBHOOK_SECRET
from tests.support.accounts import call
from tests.support.events import FakeLambdaContext, body_of, event, http_event
from twtc_core.clock import utc_now
from twtc_core.kyc import providers
from twtc_core.kyc.providers import KarzaProvider, ProviderSecret
from twtc_core.kyc.verification import Verification
from twtc_core.kyc.webhooks import signature_header
from twtc_core.observability import logger

SECRET = ProviderSecret(
    base_url="https://karza.test", api_key=LOCAL_API_KEY, webhook_secret=LOCAL_WEBHOOK_SECRET
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class FakeKarza:
    """Answers submissions like Karza; `failing` makes every answer a 503."""

    failing: bool = False
    requests: list[httpx.Request] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failing:
            return httpx.Response(503, json={"error": "unavailable"})
        case = json.loads(request.content)["caseId"]
        return httpx.Response(200, json={"requestId": f"KZ-{case}", "statusCode": 101})

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.content) for request in self.requests]


@pytest.fixture
def karza(monkeypatch: pytest.MonkeyPatch) -> FakeKarza:
    """The KYC function and the retry worker call this fake Karza; retries do not wait."""
    fake = FakeKarza()
    provider = KarzaProvider(lambda: SECRET, transport=httpx.MockTransport(fake.handle))
    monkeypatch.setattr(providers, "pause", fake.waits.append)
    monkeypatch.setattr(
        kyc_handler,
        "services",
        replace(kyc_handler.services, verification=Verification(provider, kyc_handler.store)),
    )
    monkeypatch.setattr(
        worker_handler, "verification", replace(worker_handler.verification, provider=provider)
    )
    return fake


def put_document(user_id: str, name: str = "pan-front") -> str:
    """A document as the presigned POST would have stored it; its key."""
    key = f"kyc/{user_id}/{name}"
    boto3.client("s3", region_name=os.environ["AWS_REGION"]).put_object(
        Bucket=os.environ["DOCUMENTS_BUCKET_NAME"], Key=key, Body=PNG, ContentType="image/png"
    )
    return key


def submit(user_id: str, doc_type: str, number: str, key: str) -> tuple[int, Any]:
    body = {"doc_type": doc_type, "doc_number": number, "document_key": key}
    status, answer, _ = call(
        kyc_handler.lambda_handler, "http_api_kyc_submissions", caller=user_id, body=body
    )
    return status, answer


def my_kyc(user_id: str) -> dict[str, Any]:
    status, answer, _ = call(kyc_handler.lambda_handler, "http_api_kyc_get", caller=user_id)
    assert status == 200, answer
    return dict(answer)


def karza_verdict(kyc_id: str, status: str, reason: str | None = None, event_id: str = "evt-1") -> bytes:
    body = {"eventId": event_id, "caseId": kyc_id, "result": {"status": status, "reason": reason}}
    return json.dumps(body).encode()


def signed(body: bytes, *, signed_at: int | None = None, secret: str = LOCAL_WEBHOOK_SECRET) -> str:
    """The provider's signature header for `body`, made now (or at `signed_at`, epoch seconds)."""
    timestamp = int(utc_now().timestamp()) if signed_at is None else signed_at
    return signature_header(secret, timestamp, body)


def deliver(
    body: bytes, *, signed_at: int | None = None, secret: str = LOCAL_WEBHOOK_SECRET
) -> tuple[int, Any]:
    """POST /webhooks/kyc as the provider would."""
    return deliver_raw(body, signed(body, signed_at=signed_at, secret=secret))


def deliver_raw(body: bytes, signature: str | None) -> tuple[int, Any]:
    request = http_event("http_api_kyc_webhook", caller=None)
    request["body"] = body.decode()
    if signature is None:
        request["headers"].pop("x-kyc-signature")
    else:
        request["headers"]["x-kyc-signature"] = signature
    response = webhook_handler(request, FakeLambdaContext())
    return response["statusCode"], body_of(response)


def claims_in(groups: str, user_id: str = "7a2d0c4e-2222-4b6c-8d1e-000000000002") -> dict[str, str]:
    """The claims of a live access token of a member of `groups` (API Gateway's form: `[admin moderator]`)."""
    claims = dict(event("http_api_kyc_get")["requestContext"]["authorizer"]["jwt"]["claims"])
    return {**claims, "sub": user_id, "username": user_id, "cognito:groups": groups}


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every line the functions log during the test, as Powertools formats it (and what else logs)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)
    logger.removeHandler(handler)
