"""The admin KYC API's shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from twtc_core.kyc.models import DocType, KycStatus, KycSubmission

SUBMISSION_EXAMPLE: dict[str, JsonValue] = {
    "kyc_id": "01JDZ8Y0K2W3E4R5T6Y7U8I9O0",
    "user_id": "5f1c2a9e-4b7d-4e1a-9c3f-2d8e6b0a1c47",
    "doc_type": "AADHAAR",
    "masked_number": "XXXX-XXXX-1234",
    "status": "PENDING",
    "reason": None,
    "provider": "karza",
    "provider_reference": "KZ-7f3a9c",
    "created_at": "2026-11-25T09:00:00.000Z",
    "decided_at": None,
    "decided_by": None,
}


class KycSubmissionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SUBMISSION_EXAMPLE]})

    kyc_id: str
    user_id: str
    doc_type: DocType
    masked_number: str
    status: KycStatus
    reason: str | None
    provider: str
    provider_reference: str | None
    created_at: str
    decided_at: str | None
    decided_by: str | None = Field(description="`provider`, or the reviewer's user id.")

    @classmethod
    def of(cls, submission: KycSubmission) -> KycSubmissionOut:
        return cls.model_validate(submission, from_attributes=True)


class SubmissionDetailOut(KycSubmissionOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {**SUBMISSION_EXAMPLE, "document_url": "https://twtc-documents.s3.amazonaws.com/kyc/..."}
            ]
        }
    )

    document_url: str = Field(description="The uploaded document, readable for 5 minutes.")


class SubmissionPageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [SUBMISSION_EXAMPLE], "next_cursor": None}]}
    )

    items: list[KycSubmissionOut]
    next_cursor: str | None


class DecisionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "REJECTED", "reason": "The photo is unreadable."}]}
    )

    status: Literal[KycStatus.VERIFIED, KycStatus.REJECTED]
    reason: str = Field(min_length=1, max_length=500, description="Why; shown to the user when rejected.")
