"""What the KYC stores and adapters return, and the one masking rule for document numbers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DocType(StrEnum):
    PAN = "PAN"
    AADHAAR = "AADHAAR"


class KycStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


DECISIONS = (KycStatus.VERIFIED, KycStatus.REJECTED)
VISIBLE_DIGITS = 4


def masked_number(doc_type: DocType, number: str) -> str:
    """`XXXX-XXXX-1234` for Aadhaar, `XXXXXX234F` for PAN: only the last four characters survive."""
    tail = number[-VISIBLE_DIGITS:]
    if doc_type is DocType.AADHAAR:
        return f"XXXX-XXXX-{tail}"
    return "X" * (len(number) - VISIBLE_DIGITS) + tail


@dataclass(frozen=True)
class KycSubmission:
    kyc_id: str
    user_id: str
    doc_type: DocType
    masked_number: str
    document_key: str
    status: KycStatus
    reason: str | None
    provider: str
    provider_reference: str | None
    created_at: str
    decided_at: str | None
    decided_by: str | None  # `provider` or the admin's user id


@dataclass(frozen=True)
class ProviderDecision:
    """A provider's verdict, whatever its webhook looks like."""

    event_id: str
    kyc_id: str
    status: KycStatus
    reason: str | None
