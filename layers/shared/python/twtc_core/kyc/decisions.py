"""A verdict on a submission, the provider's (webhook) or a reviewer's (admin override): the submission,
the user's current one and their profile's `kyc_status` change together; then the user's open connections
hear `kyc.updated`, and a rejected document is tagged for the bucket's lifecycle rule to expire."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.models import KycStatus, KycSubmission
from twtc_core.kyc.store import Decided, KycStore
from twtc_core.push import Pusher


def updated_message(kyc_id: str, status: KycStatus, reason: str | None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "kyc.updated", "kyc_id": kyc_id, "status": status.value}
    if reason:
        message["reason"] = reason
    return message


@dataclass(frozen=True)
class Decisions:
    store: KycStore
    documents: DocumentStore
    pusher: Pusher

    def apply(
        self,
        submission: KycSubmission,
        status: KycStatus,
        reason: str | None,
        decided_by: str,
        *,
        allowed_from: tuple[KycStatus, ...],
        event_id: str | None = None,
    ) -> Decided:
        outcome = self.store.decide(
            submission, status, reason, decided_by, allowed_from=allowed_from, event_id=event_id
        )
        if outcome is Decided.APPLIED:
            if status is KycStatus.REJECTED:
                self.documents.mark_rejected(submission.document_key)
            self.pusher.to_user(submission.user_id, updated_message(submission.kyc_id, status, reason))
        return outcome
