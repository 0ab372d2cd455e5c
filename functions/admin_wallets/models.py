"""The admin wallets API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from twtc_core.api import page_example
from twtc_core.ledger import Entry
from twtc_core.withdrawals.models import DestinationType, PayoutDestination, Withdrawal
from twtc_core.withdrawals.views import WithdrawalOut

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class RejectionIn(_Request):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"reason": "The bank account does not match the KYC name."}]},
    )

    reason: Reason


class AdjustmentIn(_Request):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"amount": 100_000, "reason": "Goodwill credit for ticket #4812"},
                {"amount": -2_500, "reason": "Duplicate task reward reversed"},
            ]
        },
    )

    amount: int = Field(ge=-(10**12), le=10**12, description="Signed minor units: + credit, - debit; not 0.")
    reason: Reason


class WithdrawalReviewOut(WithdrawalOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01JEXAMPLE0WITHDRAWAL00001",
                    "status": "APPROVED",
                    "amount": 50_000,
                    "destination_masked": "****6789 HDFC0001234",
                    "created_at": "2026-11-25T09:00:00Z",
                    "user_id": "6f1c9a2e-2222-4a5b-9c3d-000000000002",
                    "updated_at": "2026-11-25T10:00:00Z",
                    "reviewed_by": "6f1c9a2e-1111-4a5b-9c3d-000000000001",
                    "reason": None,
                }
            ]
        }
    )

    user_id: str
    updated_at: datetime
    reviewed_by: str | None
    reason: str | None

    @classmethod
    def of(cls, withdrawal: Withdrawal) -> WithdrawalReviewOut:
        return cls(
            **WithdrawalOut.of(withdrawal).model_dump(),
            user_id=withdrawal.user_id,
            updated_at=withdrawal.updated_at,
            reviewed_by=withdrawal.reviewed_by,
            reason=withdrawal.reason,
        )


class PayoutDestinationOut(BaseModel):
    """The full destination an admin pays into; the other type's fields are null."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"type": "UPI", "upi_id": "asha.k@okaxis"},
                {"type": "BANK", "account_number": "123456786789", "ifsc": "HDFC0001234"},
            ]
        }
    )

    type: DestinationType
    upi_id: str | None = Field(default=None, description="UPI destinations only.")
    account_number: str | None = Field(default=None, description="BANK destinations only.")
    ifsc: str | None = Field(default=None, description="BANK destinations only.")

    @classmethod
    def of(cls, destination: PayoutDestination) -> PayoutDestinationOut:
        return cls(
            type=destination.type,
            upi_id=destination.upi_id,
            account_number=destination.account_number,
            ifsc=destination.ifsc,
        )


class WithdrawalQueueOut(BaseModel):
    model_config = page_example(WithdrawalReviewOut)

    items: list[WithdrawalReviewOut]
    next_cursor: str | None


class AdjustmentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "adjustment:01JEXAMPLE0ADJUSTMENT0001",
                    "user_id": "6f1c9a2e-2222-4a5b-9c3d-000000000002",
                    "amount": 100_000,
                    "balance_after": 101_000,
                    "reason": "Goodwill credit for ticket #4812",
                    "created_at": "2026-11-25T09:00:00Z",
                }
            ]
        }
    )

    id: str = Field(description="The ADJUSTMENT ledger entry's id.")
    user_id: str
    amount: int
    balance_after: int
    reason: str
    created_at: datetime

    @classmethod
    def of(cls, entry: Entry) -> AdjustmentOut:
        return cls(
            id=entry.id,
            user_id=entry.user_id,
            amount=entry.amount,
            balance_after=entry.balance_after,
            reason=entry.description,
            created_at=entry.created_at,
        )
