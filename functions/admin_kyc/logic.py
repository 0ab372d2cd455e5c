"""KYC review for admins and moderators: the queue by status, one submission with a short-lived link to its
document, and a manual verdict (an override of the provider's, audited). VERIFIED is final."""

from __future__ import annotations

from dataclasses import dataclass

from functions.admin_kyc.models import DecisionIn, KycSubmissionOut, SubmissionDetailOut, SubmissionPageOut
from twtc_core.admin import Actor, audit, require_reviewer
from twtc_core.kyc.decisions import Decisions
from twtc_core.kyc.errors import KycDecided, KycNotFound
from twtc_core.kyc.models import KycStatus, KycSubmission
from twtc_core.kyc.store import Decided
from twtc_core.security import RequestOrigin, SecurityStore

DOCUMENT_LINK_SECONDS = 300
# A reviewer may decide what the provider has not, or reverse a rejection; never a verification.
OVERRIDABLE = (KycStatus.PENDING, KycStatus.REJECTED)


@dataclass(frozen=True)
class AdminKycServices:
    decisions: Decisions
    security: SecurityStore


def review_queue(
    services: AdminKycServices, reviewer: Actor, status: KycStatus, limit: int, cursor: str | None
) -> SubmissionPageOut:
    require_reviewer(reviewer)
    items, next_cursor = services.decisions.store.queue(status, limit, cursor)
    return SubmissionPageOut(items=[KycSubmissionOut.of(item) for item in items], next_cursor=next_cursor)


def submission_detail(services: AdminKycServices, reviewer: Actor, kyc_id: str) -> SubmissionDetailOut:
    require_reviewer(reviewer)
    submission = _submission(services, kyc_id)
    url = services.decisions.documents.download_url(submission.document_key, DOCUMENT_LINK_SECONDS)
    return SubmissionDetailOut(**KycSubmissionOut.of(submission).model_dump(), document_url=url)


def decide(
    services: AdminKycServices, reviewer: Actor, kyc_id: str, decision: DecisionIn, origin: RequestOrigin
) -> KycSubmissionOut:
    require_reviewer(reviewer)
    submission = _submission(services, kyc_id)
    status = KycStatus(decision.status)
    reason = decision.reason if status is KycStatus.REJECTED else None
    outcome = services.decisions.apply(submission, status, reason, reviewer.user_id, allowed_from=OVERRIDABLE)
    if outcome is not Decided.APPLIED:
        raise KycDecided("This submission is verified, or is no longer the user's current one.")
    action = f"admin_kyc_{status.value.lower()}"
    audit(services.security, reviewer, action, submission.user_id, origin, resource=kyc_id)
    return KycSubmissionOut.of(_submission(services, kyc_id))


def _submission(services: AdminKycServices, kyc_id: str) -> KycSubmission:
    submission = services.decisions.store.get(kyc_id)
    if submission is None:
        raise KycNotFound("No such KYC submission.")
    return submission
