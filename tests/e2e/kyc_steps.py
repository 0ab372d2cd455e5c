"""KYC steps over HTTP against the local runtime, shared by the journeys that need a user's KYC: the
presigned POST a browser or the app fills, the submission, and the provider's decision (its signed
webhook through the gateway)."""

from __future__ import annotations

from typing import Any

import httpx

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 1024


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload_form(api: httpx.Client, token: str, content_type: str = "image/png") -> dict[str, Any]:
    request = {"doc_type": "PAN", "content_type": content_type, "content_length": len(PNG)}
    answer = api.post("/v1/kyc/uploads", json=request, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def post_form(form: dict[str, Any], content: bytes, **field_changes: str) -> httpx.Response:
    """What a browser or the app does with the form: its fields, then the file."""
    fields = {**form["fields"], **field_changes}
    content_type = fields["Content-Type"]
    return httpx.post(form["url"], data=fields, files={"file": ("document", content, content_type)})


def submit_pan(api: httpx.Client, token: str, form: dict[str, Any], pan: str) -> str:
    """Submits the PAN uploaded through `form`; answers its kyc_id once the submission is PENDING."""
    submission = {"doc_type": "PAN", "doc_number": pan, "document_key": form["key"]}
    accepted = api.post("/v1/kyc/submissions", json=submission, headers=bearer(token))
    assert accepted.status_code == 202 and accepted.json()["status"] == "PENDING", accepted.text
    return str(accepted.json()["kyc_id"])


def uploaded_and_submitted_pan(api: httpx.Client, token: str, pan: str) -> str:
    form = upload_form(api, token)
    assert post_form(form, PNG).status_code == 204
    return submit_pan(api, token, form, pan)


def provider_decides(
    api: httpx.Client, kyc_id: str, status: str, reason: str | None = None
) -> dict[str, Any]:
    """The fake provider decides and sends its signed webhook; answers what it sent."""
    decision = {"status": status} if reason is None else {"status": status, "reason": reason}
    decided = api.post(f"/_local/kyc/{kyc_id}/decide", json=decision)
    assert decided.json()["webhook_status"] == 200, decided.text
    return dict(decided.json())
