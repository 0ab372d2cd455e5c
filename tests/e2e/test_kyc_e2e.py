"""KYC over HTTP against the local runtime: the presigned POST and GET served and enforced like S3, the fake
provider called by the adapter over real HTTP, its signed webhook through the gateway, the `kyc.updated`
push, and a full Aadhaar number that is found nowhere afterwards."""

from __future__ import annotations

import json

import boto3
import httpx
from websockets.sync.client import connect

from infra_cdk.wiring import TABLES
from tests.e2e.conftest import Runtime, registered_user
from tests.e2e.kyc_steps import PNG, bearer, post_form, provider_decides, submit_pan, upload_form
from tests.support.e2e_trust import in_group
from tests.support.e2e_users import new_user

RECEIVE_TIMEOUT_SECONDS = 10
AADHAAR = "234123412346"  # a valid Verhoeff check digit


def s3_error(response: httpx.Response) -> tuple[int, str]:
    code = response.text.split("<Code>")[1].split("</Code>")[0]
    return response.status_code, code


def test_a_pan_goes_from_upload_to_verified(runtime: Runtime, api: httpx.Client) -> None:
    token = registered_user(api, "kyc-asha@example.com")
    # The upload URL refuses a 6 MB file, a content type the form was not signed for, and an expired form
    form = upload_form(api, token)
    assert s3_error(post_form(form, b"\x00" * (6 * 1024 * 1024))) == (400, "EntityTooLarge")
    assert s3_error(post_form(form, PNG, **{"Content-Type": "image/gif"})) == (403, "AccessDenied")
    assert api.post("/_local/clock", json={"advance_seconds": 301}).status_code == 200
    expired = post_form(form, PNG)
    assert s3_error(expired) == (403, "AccessDenied") and "Policy expired" in expired.text
    # and accepts a fresh form used as signed
    form = upload_form(api, token)
    assert post_form(form, PNG).status_code == 204
    with connect(f"{runtime.ws_url}?token={token}") as socket:
        # When she submits it, it is PENDING until the provider decides
        kyc_id = submit_pan(api, token, form, "ABCPE1234F")
        assert api.get("/v1/kyc", headers=bearer(token)).json()["status"] == "PENDING"
        assert api.get("/v1/me", headers=bearer(token)).json()["kyc_status"] == "PENDING"
        # When the provider verifies it (its signed webhook goes through the gateway)
        decided = provider_decides(api, kyc_id, "VERIFIED")
        # Then she hears it, and her status is VERIFIED
        message = json.loads(socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))
        assert message == {"type": "kyc.updated", "kyc_id": kyc_id, "status": "VERIFIED"}
    assert api.get("/v1/kyc", headers=bearer(token)).json() == {
        "status": "VERIFIED",
        "doc_type": "PAN",
        "masked_number": "XXXXXX234F",
        "reason": None,
    }
    # A moderator's link to the document opens the uploaded file (S3's presigned GET, served locally)
    moderator = in_group(runtime, api, new_user(api, "kyc-moderator"), "moderator")
    detail = api.get(f"/v1/admin/kyc/{kyc_id}", headers=moderator)
    assert detail.status_code == 200, detail.text
    document = httpx.get(detail.json()["document_url"])
    assert (document.status_code, document.headers["content-type"], document.content) == (
        200,
        "image/png",
        PNG,
    )
    # A forged webhook is refused and changes nothing
    forged = api.post(
        "/webhooks/kyc",
        content=json.dumps(decided["webhook"]).encode(),
        headers={"content-type": "application/json", "X-Kyc-Signature": "t=1,v1=00"},
    )
    assert (forged.status_code, forged.json()["error"]["code"]) == (401, "invalid_signature")
    # Nobody else may use her document, and a plain user cannot review
    other = registered_user(api, "kyc-bala@example.com")
    submission = {"doc_type": "PAN", "doc_number": "ABCPE1234F", "document_key": form["key"]}
    taken = api.post("/v1/kyc/submissions", json=submission, headers=bearer(other))
    assert (taken.status_code, taken.json()["error"]["code"]) == (404, "document_not_found")
    for method, path in [("GET", "/v1/admin/kyc"), ("GET", f"/v1/admin/kyc/{kyc_id}")]:
        assert api.request(method, path, headers=bearer(other)).status_code == 403


def test_an_aadhaar_number_survives_an_outage_and_is_then_found_nowhere(
    runtime: Runtime, api: httpx.Client
) -> None:
    token = registered_user(api, "kyc-chitra@example.com")
    form = upload_form(api, token, "image/png")
    assert post_form(form, PNG).status_code == 204
    submission = {"doc_type": "AADHAAR", "doc_number": "234123412347", "document_key": form["key"]}
    # A bad check digit is refused, without echoing the number
    refused = api.post("/v1/kyc/submissions", json=submission, headers=bearer(token))
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_aadhaar")
    assert "234123412347" not in refused.text
    # While the provider is down, a good one is accepted and waits in the retry queue
    assert api.post("/_local/kyc-provider/outage", json={"failing": True}).status_code == 200
    try:
        submission["doc_number"] = "2341 2341 2346"
        accepted = api.post("/v1/kyc/submissions", json=submission, headers=bearer(token))
        assert accepted.status_code == 202, accepted.text
    finally:
        api.post("/_local/kyc-provider/outage", json={"failing": False})
    assert api.post("/_local/queues/kyc_submissions/drain").status_code == 200
    kyc_id = accepted.json()["kyc_id"]
    # The provider then has it, and rejects it; she sees why
    provider_decides(api, kyc_id, "REJECTED", "Blurred photo.")
    answers = [
        accepted.text,
        api.get("/v1/kyc", headers=bearer(token)).text,
        api.get("/v1/me", headers=bearer(token)).text,
        api.get("/v1/me/export", headers=bearer(token)).text,
    ]
    assert json.loads(answers[1]) == {
        "status": "REJECTED",
        "doc_type": "AADHAAR",
        "masked_number": "XXXX-XXXX-2346",
        "reason": "Blurred photo.",
    }
    assert json.loads(answers[3])["kyc"]["masked_number"] == "XXXX-XXXX-2346"
    # The full number is in no answer, no table item and no log line of the runtime
    dynamodb = boto3.client("dynamodb", endpoint_url=runtime.aws_endpoint, region_name="us-east-1")
    items = [
        dynamodb.get_paginator("scan").paginate(TableName=table.physical_name).build_full_result()["Items"]
        for table in TABLES
    ]
    for seen in [*answers, json.dumps(items), runtime.log.read_text()]:
        assert AADHAAR not in seen and "2341 2341 2346" not in seen
