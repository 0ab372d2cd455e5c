"""A fake KYC provider served by the local gateway over real HTTP, so the adapters call it with httpx
exactly as they would call Karza or Signzy (spec §11). Local only; never part of a deployed stack.

  POST /_local/kyc-provider/karza/v3/kyc-verification           Karza-style submission (x-karza-key)
  POST /_local/kyc-provider/signzy/api/v3/identity-verifications Signzy-style submission (Authorization)
  POST /_local/kyc-provider/outage      {"failing": true|false}  answer every submission 503 (an outage)
  POST /_local/kyc/{kyc_id}/decide      {"status": VERIFIED|REJECTED, "reason"?}  the provider's verdict:
                                        its signed webhook is sent through the gateway to /webhooks/kyc

It keeps, per submission, only its own reference and which API was called: never the document number.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from infra_cdk.wiring import DOCUMENTS
from twtc_core.clock import CLOCK
from twtc_core.kyc.webhooks import SIGNATURE_HEADER, signature_header

PROVIDER_SECRET_NAME = "twtc-kyc-provider"
LOCAL_API_KEY = "local-kyc-provider-api-key"
LOCAL_WEBHOOK_SECRET = "local-kyc-webhook-secret-for-moto-only"
PREFIX = "/_local/kyc-provider"
VERDICTS = {
    "karza": {"VERIFIED": "VERIFIED", "REJECTED": "REJECTED"},
    "signzy": {"VERIFIED": "SUCCESS", "REJECTED": "FAILED"},
}


def provider_secret(base_url: str) -> str:
    return json.dumps(
        {"base_url": base_url, "api_key": LOCAL_API_KEY, "webhook_secret": LOCAL_WEBHOOK_SECRET}
    )


def create_provider_secret(base_url: str = f"http://127.0.0.1:3000{PREFIX}") -> str:
    """The provider's secret in (moto's) Secrets Manager; the runtime points it at its own port."""
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    secrets.create_secret(Name=PROVIDER_SECRET_NAME, SecretString=provider_secret(base_url))
    return PROVIDER_SECRET_NAME


def serve_kyc_locally(gateway_url: str) -> dict[str, str]:
    """Point the provider's secret at this gateway's fake provider; the variables that send uploads and
    document links to the gateway's S3 emulations (local_runtime.s3_post, local_runtime.s3_get)."""
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    secrets.put_secret_value(
        SecretId=PROVIDER_SECRET_NAME, SecretString=provider_secret(gateway_url + PREFIX)
    )
    bucket_url = f"{gateway_url}/_local/s3/{DOCUMENTS.physical_name}"
    return {"DOCUMENTS_UPLOAD_URL": bucket_url, "DOCUMENTS_DOWNLOAD_URL": bucket_url}


@dataclass(frozen=True)
class Case:
    api: str  # karza | signzy
    reference: str


@dataclass
class FakeProvider:
    gateway_url: str
    failing: bool = False
    cases: dict[str, Case] = field(default_factory=dict)  # by the platform's kyc id
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/karza/v3/kyc-verification", self.karza, methods=["POST"]),
            Route(f"{PREFIX}/signzy/api/v3/identity-verifications", self.signzy, methods=["POST"]),
            Route(f"{PREFIX}/outage", self.outage, methods=["POST"]),
            Route("/_local/kyc/{kyc_id}/decide", self.decide, methods=["POST"]),
        ]

    async def karza(self, request: Request) -> Response:
        if request.headers.get("x-karza-key") != LOCAL_API_KEY:
            return JSONResponse({"error": "invalid key"}, status_code=401)
        body = await request.json()
        return self._open("karza", body.get("caseId"), "requestId")

    async def signzy(self, request: Request) -> Response:
        if request.headers.get("authorization") != LOCAL_API_KEY:
            return JSONResponse({"error": "invalid key"}, status_code=401)
        body = await request.json()
        return self._open("signzy", body.get("referenceId"), "id")

    def _open(self, api: str, kyc_id: Any, reference_field: str) -> Response:
        if self.failing:
            return JSONResponse({"error": "service unavailable"}, status_code=503)
        if not isinstance(kyc_id, str) or not kyc_id:
            return JSONResponse({"error": "missing reference"}, status_code=400)
        with self._lock:  # the idempotency key: the same submission keeps its case
            case = self.cases.setdefault(kyc_id, Case(api, f"{api[:2].upper()}-{uuid.uuid4().hex[:12]}"))
        return JSONResponse({reference_field: case.reference})

    async def outage(self, request: Request) -> Response:
        body = await request.json()
        self.failing = bool(body.get("failing"))
        return JSONResponse({"failing": self.failing})

    async def decide(self, request: Request) -> Response:
        case = self.cases.get(request.path_params["kyc_id"])
        body = await request.json()
        status, reason = body.get("status"), body.get("reason")
        if case is None:
            return JSONResponse({"error": {"code": "not_found", "message": "No such case."}}, status_code=404)
        if status not in VERDICTS[case.api]:
            message = 'Send {"status": "VERIFIED" | "REJECTED", "reason"?}.'
            return JSONResponse({"error": {"code": "validation_failed", "message": message}}, status_code=422)
        webhook = _webhook(case.api, request.path_params["kyc_id"], VERDICTS[case.api][status], reason)
        raw = json.dumps(webhook).encode()
        signature = signature_header(LOCAL_WEBHOOK_SECRET, int(CLOCK.now().timestamp()), raw)
        async with httpx.AsyncClient(base_url=self.gateway_url, timeout=30) as client:
            answer = await client.post(
                "/webhooks/kyc",
                content=raw,
                headers={"content-type": "application/json", SIGNATURE_HEADER: signature},
            )
        return JSONResponse(
            {"webhook": webhook, "webhook_status": answer.status_code, "answer": answer.json()}
        )


def _webhook(api: str, kyc_id: str, verdict: str, reason: str | None) -> dict[str, Any]:
    event_id = f"evt-{uuid.uuid4().hex}"
    if api == "karza":
        return {"eventId": event_id, "caseId": kyc_id, "result": {"status": verdict, "reason": reason}}
    return {"id": event_id, "referenceId": kyc_id, "verificationStatus": verdict, "failureReason": reason}
