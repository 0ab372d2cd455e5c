"""What the ledger hands to its callers. Amounts are integers in minor units (1 TWTC = 100)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class EntryType(StrEnum):
    SIGNUP_BONUS = "SIGNUP_BONUS"
    MINING = "MINING"
    BOOST = "BOOST"
    TASK = "TASK"
    TASK_BONUS = "TASK_BONUS"
    REFERRAL = "REFERRAL"
    CALL_CHARGE = "CALL_CHARGE"
    CALL_EARNING = "CALL_EARNING"
    WITHDRAWAL_HOLD = "WITHDRAWAL_HOLD"
    WITHDRAWAL = "WITHDRAWAL"
    WITHDRAWAL_RELEASE = "WITHDRAWAL_RELEASE"
    ADJUSTMENT = "ADJUSTMENT"
    REVERSAL = "REVERSAL"


class PlatformAccount(StrEnum):
    """The platform side of every entry. Their balances live in sharded counters, never one hot item."""

    REWARDS_POOL = "REWARDS_POOL"
    CALL_REVENUE = "CALL_REVENUE"
    WITHDRAWALS = "WITHDRAWALS"
    ADJUSTMENTS = "ADJUSTMENTS"


class HoldStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


def wallet_account(user_id: str) -> str:
    return f"user:{user_id}"


@dataclass(frozen=True)
class Credit:
    """One credit of `Ledger.credits_with`: what `Ledger.credit` takes besides the user."""

    entry_id: str
    amount: int
    entry_type: EntryType
    description: str
    source: PlatformAccount = PlatformAccount.REWARDS_POOL
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True)
class Wallet:
    user_id: str
    balance: int
    held: int
    total_earned: int
    total_spent: int

    @property
    def available(self) -> int:
        return self.balance - self.held


@dataclass(frozen=True)
class Entry:
    """One immutable movement between a user wallet and a platform account.

    `amount` is signed from the wallet's side (+ credit, - debit); `debit_account`/`credit_account`
    name both sides, so every entry sums to zero across accounts.
    """

    id: str
    type: EntryType
    user_id: str
    amount: int
    platform_account: PlatformAccount
    balance_after: int
    description: str
    created_at: datetime
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def debit_account(self) -> str:
        return self.platform_account.value if self.amount > 0 else wallet_account(self.user_id)

    @property
    def credit_account(self) -> str:
        return wallet_account(self.user_id) if self.amount > 0 else self.platform_account.value


@dataclass(frozen=True)
class Hold:
    """Coins reserved in a wallet (calls, withdrawals): later captured, fully or partly, or released."""

    id: str
    user_id: str
    amount: int
    captured: int
    released: int
    status: HoldStatus
    purpose: EntryType
    created_at: datetime

    @property
    def remaining(self) -> int:
        return self.amount - self.captured - self.released
