"""Withdrawal refusals, each in the category that decides its HTTP status (twtc_core.api)."""

from __future__ import annotations

from twtc_core import errors
from twtc_core.withdrawals.models import WithdrawalStatus


class KycRequired(errors.Forbidden):
    code = "kyc_required"


class AmountBelowMinimum(errors.Invalid):
    code = "amount_below_minimum"


class DailyWithdrawalLimit(errors.Conflict):
    code = "daily_withdrawal_limit"


class TooManyWalletTransactions(errors.RateLimited):
    code = "rate_limited"


class WithdrawalNotFound(errors.NotFound):
    code = "withdrawal_not_found"


class WithdrawalBusy(errors.Conflict):
    code = "concurrent_update"


class WithdrawalNotInState(errors.Conflict):
    """A transition asked of a withdrawal that is not where it may start: `withdrawal_not_requested`
    (approve), `withdrawal_not_approved` (paid), `withdrawal_not_pending` (reject)."""

    def __init__(self, required: str, current: WithdrawalStatus) -> None:
        super().__init__(f"The withdrawal is {current.value}.", {"status": current.value})
        self.code = f"withdrawal_not_{required}"  # type: ignore[misc]


class DestinationErased(errors.Conflict):
    """The full destination is no longer kept: the withdrawal is closed (paid or rejected) or its owner's
    account was erased. 409, as the withdrawal's other state refusals (docs/decisions.md)."""

    code = "destination_erased"


class DestinationUnreadable(errors.Conflict):
    """KMS refused the stored ciphertext under this withdrawal's context (it was moved from another)."""

    code = "destination_unreadable"
