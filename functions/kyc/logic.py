"""KYC rules for the user: upload a document (a presigned POST under my prefix), submit it with its number
(one open submission at a time, resubmission after a rejection, VERIFIED final) and read my status.

The full document number goes to the provider and nowhere else: the store keeps the masked number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from functions.kyc.models import MAX_DOCUMENT_BYTES, KycOut, SubmissionIn, SubmissionOut, UploadIn, UploadOut
from twtc_core.clock import iso, utc_now
from twtc_core.ids import new_id
from twtc_core.kyc.documents import DocumentStore, user_prefix
from twtc_core.kyc.errors import DocumentNotFound, KycPending, KycVerified
from twtc_core.kyc.models import KycStatus, KycSubmission, masked_number
from twtc_core.kyc.providers import ProviderRequest, ProviderUnavailable
from twtc_core.kyc.store import KycStore
from twtc_core.kyc.verification import RetryQueue, Verification
from twtc_core.observability import logger

UPLOAD_FORM_SECONDS = 300


@dataclass(frozen=True)
class KycServices:
    documents: DocumentStore
    store: KycStore
    verification: Verification
    retries: RetryQueue


def grant_upload(services: KycServices, user_id: str, request: UploadIn) -> UploadOut:
    """A form S3 accepts only for this key, this content type and at most 5 MB, for 5 minutes."""
    key = f"{user_prefix(user_id)}{new_id()}"
    expires_at = utc_now() + timedelta(seconds=UPLOAD_FORM_SECONDS)
    form = services.documents.upload_form(key, request.content_type, MAX_DOCUMENT_BYTES, expires_at)
    return UploadOut(url=form.url, fields=form.fields, key=key, expires_at=iso(expires_at))


def submit(services: KycServices, user_id: str, request: SubmissionIn) -> SubmissionOut:
    # Another user's key is "no such document" for this caller, like a key that was never uploaded.
    if not request.document_key.startswith(user_prefix(user_id)) or not services.documents.exists(
        request.document_key
    ):
        raise DocumentNotFound("No such document; upload it first.")
    _require_can_submit(services.store.current_of(user_id))
    submission = KycSubmission(
        kyc_id=new_id(),
        user_id=user_id,
        doc_type=request.doc_type,
        masked_number=masked_number(request.doc_type, request.doc_number),
        document_key=request.document_key,
        status=KycStatus.PENDING,
        reason=None,
        provider=services.verification.provider.name,
        provider_reference=None,
        created_at=iso(utc_now()),
        decided_at=None,
        decided_by=None,
    )
    if not services.store.open(submission):
        raise KycPending("A submission is already being verified.")
    to_provider = ProviderRequest(submission.kyc_id, request.doc_type, request.doc_number)
    try:
        services.verification.submit(to_provider)
    except ProviderUnavailable:
        # Still PENDING, never lost: the retry queue resends it (docs/decisions.md).
        logger.warning("KYC provider unavailable; submission queued", extra={"kyc_id": submission.kyc_id})
        services.retries.send(to_provider)
    return SubmissionOut(kyc_id=submission.kyc_id, status=submission.status)


def my_kyc(services: KycServices, user_id: str) -> KycOut:
    current = services.store.current_of(user_id)
    if current is None:
        return KycOut(status=KycStatus.NOT_STARTED)
    return KycOut(
        status=current.status,
        doc_type=current.doc_type,
        masked_number=current.masked_number,
        reason=current.reason,
    )


def _require_can_submit(current: KycSubmission | None) -> None:
    if current is None or current.status is KycStatus.REJECTED:
        return
    if current.status is KycStatus.VERIFIED:
        raise KycVerified("Your identity is already verified.")
    raise KycPending("A submission is already being verified.")
