"""GDPR erasure of a user's KYC (docs/decisions.md, "KYC data retention on erasure"): every version of
their documents and every submission go, resumably; another user's stay."""

from __future__ import annotations

import os

import boto3
import pytest

from functions.erasure_sweeper.handler import lambda_handler as erasure_sweeper
from functions.profile import handler as profile_function
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.accounts import call
from tests.support.events import FakeLambdaContext, event
from tests.support.kyc import FakeKarza, deliver, karza, karza_verdict, put_document, submit
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.kyc.store import KycStore

__all__ = ["karza"]  # fixture
pytestmark = pytest.mark.usefixtures("cognito")


def document_versions(user_id: str) -> list[str]:
    """Every version and delete marker left under the user's prefix."""
    listed = boto3.client("s3", region_name=os.environ["AWS_REGION"]).list_object_versions(
        Bucket=os.environ["DOCUMENTS_BUCKET_NAME"], Prefix=f"kyc/{user_id}/"
    )
    return [v["Key"] for v in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]]


def test_erasure_removes_every_kyc_document_and_submission_even_after_a_crash(
    cognito: Outbox, karza: FakeKarza, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Asha, whose first PAN was rejected and whose second (uploaded twice: two versions) is pending
    asha = accounts.open_account(cognito, "asha.kyc@example.com", device_id="asha-phone-0001")
    bala = accounts.open_account(cognito, "bala.kyc@example.com", device_id="bala-phone-0001")
    rejected_id = submit(asha.user_id, "PAN", "ABCPE1234F", put_document(asha.user_id, "pan-1"))[1]["kyc_id"]
    assert deliver(karza_verdict(rejected_id, "REJECTED", "Blurred."))[0] == 200
    put_document(asha.user_id, "pan-2")
    pending_id = submit(asha.user_id, "PAN", "ABCPE1234F", put_document(asha.user_id, "pan-2"))[1]["kyc_id"]
    bala_key = put_document(bala.user_id)
    assert len(document_versions(asha.user_id)) == 3
    # When her DELETE /v1/me crashes at the KYC records step, after her documents went
    stores = profile_function.services

    def crash(*args: object) -> None:
        raise ConnectionError("the Lambda timed out here")

    monkeypatch.setattr(stores.kyc, "erase_all_of", crash)
    assert call(profile_function.lambda_handler, "http_api_me_delete", caller=asha.user_id)[0] == 500
    monkeypatch.undo()
    assert document_versions(asha.user_id) == []
    assert KycStore().get(rejected_id) is not None
    # and the erasure sweeper finishes it
    assert erasure_sweeper(event("eventbridge_erasure_sweeper"), FakeLambdaContext()) == {"finished": 1}
    # Then no submission of hers is left, nor any document version; Bala's document is untouched
    assert [KycStore().get(kyc_id) for kyc_id in (rejected_id, pending_id)] == [None, None]
    assert KycStore().current_of(asha.user_id) is None
    assert ProfileStore().pending_erasures(10) == []
    assert document_versions(bala.user_id) == [bala_key]
