"""What the withdrawals store hands to its callers. Amounts are integers in minor units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class WithdrawalStatus(StrEnum):
    """REQUESTED -> APPROVED -> PAID; REQUESTED or APPROVED -> REJECTED (docs/decisions.md)."""

    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    PAID = "PAID"
    REJECTED = "REJECTED"


# Where each transition may start from.
TRANSITIONS: dict[WithdrawalStatus, frozenset[WithdrawalStatus]] = {
    WithdrawalStatus.APPROVED: frozenset({WithdrawalStatus.REQUESTED}),
    WithdrawalStatus.PAID: frozenset({WithdrawalStatus.APPROVED}),
    WithdrawalStatus.REJECTED: frozenset({WithdrawalStatus.REQUESTED, WithdrawalStatus.APPROVED}),
}


@dataclass(frozen=True)
class Withdrawal:
    id: str
    user_id: str
    amount: int
    status: WithdrawalStatus
    destination_masked: str
    created_at: datetime
    updated_at: datetime
    # Digest of the request (amount, destination): a replayed Idempotency-Key is answered only for the same.
    request_fingerprint: str
    reviewed_by: str | None = None
    reason: str | None = None

    @property
    def hold_id(self) -> str:
        return withdrawal_hold_id(self.id)


def withdrawal_hold_id(withdrawal_id: str) -> str:
    return f"withdrawal:{withdrawal_id}"
