"""A withdrawal as its owner sees it (the withdrawals API); the admin review view extends it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from twtc_core.withdrawals.models import Withdrawal, WithdrawalStatus


class WithdrawalOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "01JEXAMPLE0WITHDRAWAL00001",
                    "status": "REQUESTED",
                    "amount": 50_000,
                    "destination_masked": "as***@okaxis",
                    "created_at": "2026-11-25T09:00:00Z",
                }
            ]
        }
    )

    id: str
    status: WithdrawalStatus
    amount: int
    destination_masked: str
    created_at: datetime

    @classmethod
    def of(cls, withdrawal: Withdrawal) -> WithdrawalOut:
        return cls(
            id=withdrawal.id,
            status=withdrawal.status,
            amount=withdrawal.amount,
            destination_masked=withdrawal.destination_masked,
            created_at=withdrawal.created_at,
        )
