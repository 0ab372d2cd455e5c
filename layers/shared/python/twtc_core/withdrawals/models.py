"""What the withdrawals store hands to its callers. Amounts are integers in minor units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class WithdrawalStatus(StrEnum):
    """REQUESTED -> APPROVED -> PAID; REQUESTED or APPROVED -> REJECTED (docs/decisions.md)."""

    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    PAID = "PAID"
    REJECTED = "REJECTED"


# Closing a withdrawal erases its sealed destination in the same write (nothing is left to pay).
CLOSED: frozenset[WithdrawalStatus] = frozenset({WithdrawalStatus.PAID, WithdrawalStatus.REJECTED})

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
    # The full destination, KMS-encrypted under this withdrawal's context (twtc_core.withdrawals.sealing);
    # None once the withdrawal is closed or its owner's account erased.
    sealed_destination: bytes | None = field(default=None, repr=False)

    @property
    def hold_id(self) -> str:
        return withdrawal_hold_id(self.id)


def withdrawal_hold_id(withdrawal_id: str) -> str:
    return f"withdrawal:{withdrawal_id}"


class DestinationType(StrEnum):
    UPI = "UPI"
    BANK = "BANK"


@dataclass(frozen=True)
class PayoutDestination:
    """Where the money goes, in full: a UPI id, or an account number with its IFSC. Only ever sealed or
    shown to an admin who pays; `repr` (hence any log line) shows the type alone."""

    type: DestinationType
    upi_id: str | None = field(default=None, repr=False)
    account_number: str | None = field(default=None, repr=False)
    ifsc: str | None = field(default=None, repr=False)
