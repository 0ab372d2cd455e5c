"""KYC through the real handlers (moto, a fake Karza on an httpx mock transport): upload forms, submissions,
the signed provider webhook, the retry queue, and the one status withdrawals read (the profile's)."""

from __future__ import annotations

import io
import json
import os
from datetime import timedelta
from typing import Any

import boto3
import pytest

from functions.admin_kyc.handler import lambda_handler as admin_handler
from functions.kyc.handler import lambda_handler as kyc_handler
from functions.kyc_worker.handler import lambda_handler as worker_handler
from functions.profile.handler import lambda_handler as profile_handler
from infra_cdk.wiring import TABLES
from local_runtime.outbox import Outbox
from local_runtime.s3_post import check_form
from tests.support import accounts
from tests.support.accounts import call, queued_messages, sqs_event
from tests.support.events import FakeLambdaContext, event
from tests.support.kyc import (
    FakeKarza,
    claims_in,
    deliver,
    deliver_raw,
    karza,
    karza_verdict,
    log_lines,
    my_kyc,
    put_document,
    signed,
    submit,
)
from tests.support.presence import open_tab, pushed_to
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import utc_now
from twtc_core.security import SecurityStore

__all__ = ["karza", "log_lines"]  # fixtures
pytestmark = pytest.mark.usefixtures("cognito")
PAN = "ABCPE1234F"
AADHAAR = "234123412346"  # a valid Verhoeff check digit
TAB = "a2FiLXRhYi0xYQ=="


@pytest.fixture
def asha(cognito: Outbox) -> accounts.Account:
    return accounts.open_account(cognito, "asha@example.com", device_id="asha-phone-0001")


def kyc_status(user_id: str) -> str:
    profile = ProfileStore().get(user_id)
    assert profile is not None
    return profile.kyc_status


def test_an_upload_form_allows_only_my_key_the_type_and_5_mb_for_5_minutes(asha: accounts.Account) -> None:
    # When Asha asks to upload a PAN image
    request = {"doc_type": "PAN", "content_type": "image/jpeg", "content_length": 482_133}
    status, form, _ = call(kyc_handler, "http_api_kyc_uploads", caller=asha.user_id, body=request)
    # Then the form names a key under her prefix, expiring in 5 minutes
    assert status == 200, form
    assert form["key"].startswith(f"kyc/{asha.user_id}/") and form["fields"]["key"] == form["key"]
    assert form["expires_at"] == "2026-11-25T09:05:00.000Z"
    # And S3's policy check accepts exactly that upload, and refuses a bigger or differently typed one
    secret, now = os.environ["AWS_SECRET_ACCESS_KEY"], utc_now()
    bucket = os.environ["DOCUMENTS_BUCKET_NAME"]
    assert check_form(bucket, form["fields"], 482_133, now, secret) is None
    assert check_form(bucket, form["fields"], 6 * 1024 * 1024, now, secret).code == "EntityTooLarge"  # type: ignore[union-attr]
    expired = check_form(bucket, form["fields"], 10, now + timedelta(seconds=300), secret)
    assert expired is not None and expired.message.endswith("Policy expired.")
    wrong_type = {**form["fields"], "Content-Type": "image/gif"}
    assert check_form(bucket, wrong_type, 10, now, secret).status == 403  # type: ignore[union-attr]


def test_a_pan_is_submitted_then_verified_by_the_provider(asha: accounts.Account, karza: FakeKarza) -> None:
    # Given Asha's uploaded PAN card and an open app tab
    key = put_document(asha.user_id)
    open_tab(TAB, asha.user_id)
    # When she submits it
    status, accepted = submit(asha.user_id, "PAN", "abcpe 1234 f", key)
    # Then it is PENDING, sent to the provider once, in Karza's shape, with its id as idempotency key
    assert status == 202 and accepted["status"] == "PENDING"
    kyc_id = accepted["kyc_id"]
    assert karza.bodies() == [{"docType": "pan", "docNumber": PAN, "consent": "Y", "caseId": kyc_id}]
    assert karza.requests[0].headers["idempotency-key"] == kyc_id
    assert my_kyc(asha.user_id) == {
        "status": "PENDING",
        "doc_type": "PAN",
        "masked_number": "XXXXXX234F",
        "reason": None,
    }
    assert kyc_status(asha.user_id) == "PENDING"
    # When the provider's signed verdict arrives
    assert deliver(karza_verdict(kyc_id, "VERIFIED")) == (200, {"received": True, "result": "APPLIED"})
    # Then she is VERIFIED (the profile status withdrawals read, too) and her tab heard it
    assert my_kyc(asha.user_id)["status"] == "VERIFIED"
    assert kyc_status(asha.user_id) == "VERIFIED"
    assert pushed_to(TAB) == [{"type": "kyc.updated", "kyc_id": kyc_id, "status": "VERIFIED"}]
    # And VERIFIED is final
    assert submit(asha.user_id, "PAN", PAN, key)[1]["error"]["code"] == "kyc_verified"


def test_one_open_submission_at_a_time_and_a_rejection_allows_another(
    asha: accounts.Account, karza: FakeKarza
) -> None:
    key = put_document(asha.user_id)
    kyc_id = submit(asha.user_id, "PAN", PAN, key)[1]["kyc_id"]
    # A second submission while the first is open is refused
    status, refused = submit(asha.user_id, "PAN", PAN, key)
    assert (status, refused["error"]["code"]) == (409, "kyc_pending")
    # The provider rejects the first, with a reason; the document is tagged for expiry
    deliver(karza_verdict(kyc_id, "REJECTED", "The photo is unreadable."))
    assert my_kyc(asha.user_id) == {
        "status": "REJECTED",
        "doc_type": "PAN",
        "masked_number": "XXXXXX234F",
        "reason": "The photo is unreadable.",
    }
    tags = boto3.client("s3").get_object_tagging(Bucket=os.environ["DOCUMENTS_BUCKET_NAME"], Key=key)
    assert tags["TagSet"] == [{"Key": "kyc", "Value": "rejected"}]
    # Then a new submission is accepted
    second = put_document(asha.user_id, "pan-front-2")
    assert submit(asha.user_id, "PAN", PAN, second)[0] == 202
    assert kyc_status(asha.user_id) == "PENDING"


def test_another_users_or_a_missing_document_is_404(asha: accounts.Account, cognito: Outbox) -> None:
    bala = accounts.open_account(cognito, "bala@example.com", device_id="bala-phone-0001", ip="192.0.2.7")
    balas_key = put_document(bala.user_id)
    for key in (balas_key, f"kyc/{asha.user_id}/never-uploaded"):
        status, refused = submit(asha.user_id, "PAN", PAN, key)
        assert (status, refused["error"]["code"]) == (404, "document_not_found")
    assert my_kyc(asha.user_id)["status"] == "NOT_STARTED"


@pytest.mark.parametrize(
    ("doc_type", "number", "code"),
    [
        ("AADHAAR", "234123412347", "invalid_aadhaar"),  # bad Verhoeff check digit
        ("AADHAAR", "123412341234", "invalid_aadhaar"),  # starts with 1
        ("PAN", "ABCXE1234F", "invalid_pan"),  # X is no holder type
    ],
)
def test_an_invalid_number_is_422_and_not_echoed(
    asha: accounts.Account, doc_type: str, number: str, code: str
) -> None:
    status, refused = submit(asha.user_id, doc_type, number, put_document(asha.user_id))
    assert (status, refused["error"]["code"]) == (422, code)
    assert number not in str(refused)


def test_a_provider_outage_keeps_the_submission_pending_and_the_retry_queue_resends_it(
    asha: accounts.Account, karza: FakeKarza
) -> None:
    # Given the provider is down
    karza.failing = True
    # When Asha submits: three attempts with a growing pause, then the submission waits in the queue
    status, accepted = submit(asha.user_id, "PAN", PAN, put_document(asha.user_id))
    assert (status, accepted["status"]) == (202, "PENDING")
    assert len(karza.requests) == 3 and karza.waits == sorted(karza.waits) and len(karza.waits) == 2
    messages = queued_messages("KYC_SUBMISSIONS_QUEUE_URL")
    assert len(messages) == 1
    # When the worker retries while it is still down, the record fails (SQS will redeliver it)
    assert worker_handler(sqs_event(messages), FakeLambdaContext())["batchItemFailures"]
    # When the provider is back, the retry reaches it once more, with the same idempotency key
    karza.failing = False
    assert worker_handler(sqs_event(messages), FakeLambdaContext()) == {"batchItemFailures": []}
    assert {request.headers["idempotency-key"] for request in karza.requests} == {accepted["kyc_id"]}
    # And the verdict then applies as usual
    assert deliver(karza_verdict(accepted["kyc_id"], "VERIFIED"))[0] == 200
    assert kyc_status(asha.user_id) == "VERIFIED"


def test_forged_stale_and_replayed_webhooks_change_nothing(asha: accounts.Account, karza: FakeKarza) -> None:
    kyc_id = submit(asha.user_id, "PAN", PAN, put_document(asha.user_id))[1]["kyc_id"]
    verdict = karza_verdict(kyc_id, "VERIFIED")
    now = int(utc_now().timestamp())
    refusals = [
        deliver(verdict, secret="not-the-webhook-secret"),  # forged
        deliver_raw(verdict, None),  # unsigned
        deliver_raw(verdict, "t=1795597200,v1=deadbeef"),  # garbage signature
        deliver_raw(verdict.replace(b"VERIFIED", b"REJECTED"), signed(verdict)),  # another body's
        deliver(verdict, signed_at=now - 301),  # stale
        deliver(verdict, signed_at=now + 301),  # from the future
    ]
    assert [(status, body["error"]["code"]) for status, body in refusals] == [
        (401, "invalid_signature"),
        (401, "invalid_signature"),
        (401, "invalid_signature"),
        (401, "invalid_signature"),
        (403, "stale_signature"),
        (403, "stale_signature"),
    ]
    assert kyc_status(asha.user_id) == "PENDING"
    # The genuine delivery applies once; its replay (freshly signed, same event id) is refused
    assert deliver(verdict)[0] == 200
    replay = karza_verdict(kyc_id, "REJECTED", "late", event_id="evt-1")
    status, refused = deliver(replay)
    assert (status, refused["error"]["code"]) == (403, "webhook_replayed")
    assert my_kyc(asha.user_id)["status"] == "VERIFIED"


def test_a_verdict_on_an_unknown_submission_is_acknowledged(aws: dict[str, str]) -> None:
    assert deliver(karza_verdict("01JDZ8Y0K2W3E4R5T6Y7U8I9O0", "VERIFIED")) == (
        200,
        {"received": True, "result": "UNKNOWN_KYC"},
    )


def test_a_full_aadhaar_number_is_kept_nowhere(
    asha: accounts.Account, karza: FakeKarza, log_lines: io.StringIO
) -> None:
    # Given Asha submits her Aadhaar (spaced as printed on the card) while the provider is down
    karza.failing = True
    status, accepted = submit(asha.user_id, "AADHAAR", "2341 2341 2346", put_document(asha.user_id))
    assert status == 202
    # Then only the retry queue holds the number (SQS encrypts it at rest; the message goes once handled)
    (message,) = queued_messages("KYC_SUBMISSIONS_QUEUE_URL")
    assert json.loads(message["Body"])["doc_number"] == AADHAAR
    # When the provider is back, the retry reaches it, and it verifies
    karza.failing = False
    assert worker_handler(sqs_event([message]), FakeLambdaContext()) == {"batchItemFailures": []}
    deliver(karza_verdict(accepted["kyc_id"], "VERIFIED"))
    # Then the provider received the full number (three failed attempts, then the retry)
    assert [body["docNumber"] for body in karza.bodies()] == [AADHAAR] * 4
    # And every answer she and a reviewer get shows only its last four digits
    masked = "XXXX-XXXX-2346"
    mine = my_kyc(asha.user_id)
    export = call(profile_handler, "http_api_me_export", caller=asha.user_id)[1]
    me = call(profile_handler, "http_api_me_get", caller=asha.user_id)[1]
    review = admin_call("http_api_admin_kyc_get", claims_in("[admin]"), kyc_id=accepted["kyc_id"])[1]
    assert mine["masked_number"] == export["kyc"]["masked_number"] == review["masked_number"] == masked
    assert (export["kyc"]["status"], me["kyc_status"]) == ("VERIFIED", "VERIFIED")
    # And no table item, log line or answer holds the number
    dynamodb = boto3.client("dynamodb")
    for table in TABLES:
        items = dynamodb.scan(TableName=table.physical_name)["Items"]
        assert AADHAAR not in json.dumps(items), table.name
    logged = log_lines.getvalue()
    assert "KYC provider unavailable" in logged  # the outage was logged, by submission id
    seen = json.dumps([accepted, mine, export, me, review]) + logged
    assert AADHAAR not in seen and "2341 2341 2346" not in seen


def admin_call(name: str, claims: dict[str, str], kyc_id: str = "", **kwargs: Any) -> tuple[int, Any]:
    path = {
        "http_api_admin_kyc_queue": "/v1/admin/kyc",
        "http_api_admin_kyc_get": f"/v1/admin/kyc/{kyc_id}",
        "http_api_admin_kyc_decision": f"/v1/admin/kyc/{kyc_id}/decision",
    }[name]
    status, body, _ = call(admin_handler, name, caller=None, claims=claims, path=path, **kwargs)
    return status, body


def test_a_plain_user_is_refused_every_admin_kyc_route(asha: accounts.Account) -> None:
    plain = claims_in("[]", asha.user_id)
    decision = {"status": "VERIFIED", "reason": "Looks right."}
    answers = [
        admin_call("http_api_admin_kyc_queue", plain),
        admin_call("http_api_admin_kyc_get", plain, kyc_id="01JDZ8Y0K2W3E4R5T6Y7U8I9O0"),
        admin_call("http_api_admin_kyc_decision", plain, kyc_id="01JDZ8Y0K2W3E4R5T6Y7U8I9O0", body=decision),
    ]
    assert [(status, body["error"]["code"]) for status, body in answers] == [(403, "forbidden")] * 3


def test_a_moderator_reviews_the_queue_and_overrides_a_rejection_audited(
    asha: accounts.Account, karza: FakeKarza
) -> None:
    # Given Asha's submission, rejected by the provider
    key = put_document(asha.user_id)
    kyc_id = submit(asha.user_id, "PAN", PAN, key)[1]["kyc_id"]
    moderator = claims_in("[moderator]")
    status, queue = admin_call("http_api_admin_kyc_queue", moderator)
    assert status == 200 and [item["kyc_id"] for item in queue["items"]] == [kyc_id]
    deliver(karza_verdict(kyc_id, "REJECTED", "Name mismatch."))
    # When a moderator opens it, the document is one short-lived link away
    status, detail = admin_call("http_api_admin_kyc_get", moderator, kyc_id=kyc_id)
    assert status == 200 and key in detail["document_url"] and "X-Amz-Expires=300" in detail["document_url"]
    # When the moderator verifies it by hand
    decision = {"status": "VERIFIED", "reason": "Name matches the bank record."}
    status, decided = admin_call("http_api_admin_kyc_decision", moderator, kyc_id=kyc_id, body=decision)
    # Then it is VERIFIED by the moderator, the queue moved, and both sides' records say so
    assert (status, decided["status"], decided["decided_by"]) == (200, "VERIFIED", moderator["sub"])
    assert kyc_status(asha.user_id) == "VERIFIED"
    assert admin_call("http_api_admin_kyc_queue", moderator)[1]["items"] == []
    actions = {item.action: item.resource for item in SecurityStore().activity_of(moderator["sub"])}
    assert actions == {"admin_kyc_verified": kyc_id}
    assert "admin_kyc_verified" in {item.action for item in SecurityStore().activity_of(asha.user_id)}
    # And a verification is final, even for a reviewer
    again = {"status": "REJECTED", "reason": "Changed my mind."}
    status, refused = admin_call("http_api_admin_kyc_decision", moderator, kyc_id=kyc_id, body=again)
    assert (status, refused["error"]["code"]) == (409, "kyc_already_decided")
    assert admin_call("http_api_admin_kyc_get", moderator, kyc_id="nope")[0] == 404


def test_a_retry_of_a_submission_no_longer_waiting_is_dropped(aws: dict[str, str], karza: FakeKarza) -> None:
    # The queue's sample message names a submission that does not exist (or was decided meanwhile)
    assert worker_handler(event("sqs_kyc_submissions"), FakeLambdaContext()) == {"batchItemFailures": []}
    assert karza.requests == []
