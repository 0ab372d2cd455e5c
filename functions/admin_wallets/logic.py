"""Admin rules for money: only an admin reviews withdrawals and adjusts wallets, and every such action is
audited (who, what, target, before/after, reason, when) on the admin's activity and the user's.

A review moves the withdrawal's status first (a conditional write: of two admins, one wins), then its
ledger hold: paid captures all of it as a WITHDRAWAL entry `withdrawal:<id>`, rejected releases it. Asking
for the status a withdrawal already has answers it and drives its ledger step again (idempotent), so an
interrupted review is finished by repeating it; asking a status it cannot reach is 409. Paying or rejecting
erases the withdrawal's sealed destination in that same status write.

The full destination is shown only to an admin, only while the withdrawal is APPROVED (the one state it is
paid from), and every read is audited; a closed withdrawal's is erased (409 `destination_erased`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from functions.admin_wallets.models import (
    AdjustmentOut,
    PayoutDestinationOut,
    WithdrawalQueueOut,
    WithdrawalReviewOut,
)
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.models import is_active
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.admin import Actor, audit, require_admin
from twtc_core.clock import utc_now
from twtc_core.errors import Invalid
from twtc_core.ids import derived_id, new_id
from twtc_core.ledger import Entry, EntryType, IdempotencyMismatch, Ledger, PlatformAccount
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.withdrawals.errors import (
    DestinationErased,
    WithdrawalNotFound,
    WithdrawalNotInState,
)
from twtc_core.withdrawals.models import CLOSED, TRANSITIONS, Withdrawal, WithdrawalStatus
from twtc_core.withdrawals.sealing import DestinationSealer
from twtc_core.withdrawals.store import WithdrawalStore

# The error code's word for where each transition must start.
REQUIRED_STATE = {
    WithdrawalStatus.APPROVED: "requested",
    WithdrawalStatus.PAID: "approved",
    WithdrawalStatus.REJECTED: "pending",
}


class ZeroAdjustment(Invalid):
    code = "invalid_amount"


@dataclass(frozen=True)
class AdminWalletServices:
    withdrawals: WithdrawalStore
    ledger: Ledger
    profiles: ProfileStore
    security: SecurityStore
    sealer: DestinationSealer


def withdrawal_queue(
    services: AdminWalletServices, actor: Actor, status: WithdrawalStatus, limit: int, cursor: str | None
) -> WithdrawalQueueOut:
    require_admin(actor)
    page = services.withdrawals.with_status(status, limit, cursor)
    return WithdrawalQueueOut(
        items=[WithdrawalReviewOut.of(item) for item in page.items], next_cursor=page.next_cursor
    )


def review(
    services: AdminWalletServices,
    actor: Actor,
    withdrawal_id: str,
    *,
    to: WithdrawalStatus,
    reason: str | None,
    origin: RequestOrigin,
) -> WithdrawalReviewOut:
    require_admin(actor)
    before = _require_withdrawal(services, withdrawal_id)
    if before.status != to:
        if before.status not in TRANSITIONS[to]:
            raise WithdrawalNotInState(REQUIRED_STATE[to], before.status)
        at = utc_now()
        if not services.withdrawals.transition(
            before,
            to,
            TRANSITIONS[to],
            reviewed_by=actor.user_id,
            reason=reason,
            at=at,
            erase_destination=to in CLOSED,
        ):
            return review(
                services, actor, withdrawal_id, to=to, reason=reason, origin=origin
            )  # moved meanwhile: look again
    _settle(services.ledger, before, to)
    after = _require_withdrawal(services, withdrawal_id)
    _audit(
        services,
        actor,
        f"admin_withdrawal_{to.value.lower()}",
        user_id=after.user_id,
        target=f"withdrawal:{withdrawal_id}",
        change={"before": before.status.value, "after": after.status.value, "reason": reason},
        origin=origin,
    )
    return WithdrawalReviewOut.of(after)


def payout_destination(
    services: AdminWalletServices, actor: Actor, withdrawal_id: str, origin: RequestOrigin
) -> PayoutDestinationOut:
    """The full destination of an APPROVED withdrawal, for the admin who pays it; the read is audited."""
    require_admin(actor)
    withdrawal = _require_withdrawal(services, withdrawal_id)
    if withdrawal.status in CLOSED or withdrawal.sealed_destination is None:
        raise DestinationErased(
            "The destination is no longer kept for this withdrawal.", {"status": withdrawal.status.value}
        )
    if withdrawal.status is not WithdrawalStatus.APPROVED:
        raise WithdrawalNotInState(REQUIRED_STATE[WithdrawalStatus.PAID], withdrawal.status)
    destination = services.sealer.open(
        withdrawal.sealed_destination, withdrawal_id=withdrawal.id, user_id=withdrawal.user_id
    )
    audit(
        services.security,
        actor,
        "admin_withdrawal_destination_read",
        withdrawal.user_id,
        origin,
        resource=f"withdrawal:{withdrawal.id}",
    )
    return PayoutDestinationOut.of(destination)


def adjust(
    services: AdminWalletServices,
    actor: Actor,
    user_id: str,
    *,
    amount: int,
    reason: str,
    idempotency_key: str | None,
    origin: RequestOrigin,
) -> AdjustmentOut:
    """A correction is a new ADJUSTMENT entry against PlatformAccount.ADJUSTMENTS, never an edit; a debit
    cannot take more than is available (409 insufficient_funds)."""
    require_admin(actor)
    if amount == 0:
        raise ZeroAdjustment("An adjustment moves a non-zero amount.", {"amount": amount})
    profile = services.profiles.get(user_id)
    if not is_active(profile):
        raise ProfileNotFound("No such user.")
    entry_id = derived_id("adjustment", _adjustment_id(actor.user_id, user_id, idempotency_key))
    try:
        entry = _post_adjustment(
            services.ledger, entry_id, user_id, amount=amount, reason=reason, by=actor.user_id
        )
    except IdempotencyMismatch as error:
        raise IdempotencyMismatch("This Idempotency-Key was used for a different adjustment.") from error
    _audit(
        services,
        actor,
        "admin_wallet_adjustment",
        user_id=user_id,
        target=entry_id,
        change={"before": entry.balance_after - entry.amount, "after": entry.balance_after, "reason": reason},
        origin=origin,
    )
    return AdjustmentOut.of(entry)


def _post_adjustment(
    ledger: Ledger, entry_id: str, user_id: str, *, amount: int, reason: str, by: str
) -> Entry:
    common: dict[str, Any] = {
        "entry_id": entry_id,
        "user_id": user_id,
        "amount": abs(amount),
        "entry_type": EntryType.ADJUSTMENT,
        "description": reason,
        "metadata": {"by": by},
    }
    if amount > 0:
        return ledger.credit(**common, source=PlatformAccount.ADJUSTMENTS)
    return ledger.debit(**common, destination=PlatformAccount.ADJUSTMENTS)


def _adjustment_id(admin_id: str, user_id: str, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return new_id()
    return hashlib.sha256(f"adjustment\x1f{admin_id}\x1f{user_id}\x1f{idempotency_key}".encode()).hexdigest()[
        :32
    ]


def _require_withdrawal(services: AdminWalletServices, withdrawal_id: str) -> Withdrawal:
    withdrawal = services.withdrawals.get(withdrawal_id)
    if withdrawal is None:
        raise WithdrawalNotFound("No such withdrawal.")
    return withdrawal


def _settle(ledger: Ledger, withdrawal: Withdrawal, status: WithdrawalStatus) -> None:
    """The ledger step of reaching `status`; each is idempotent (a replayed capture returns its entry, a
    closed hold releases nothing)."""
    if status is WithdrawalStatus.PAID:
        ledger.capture(
            hold_id=withdrawal.hold_id,
            user_id=withdrawal.user_id,
            entry_id=derived_id("withdrawal", withdrawal.id),
            amount=withdrawal.amount,
            entry_type=EntryType.WITHDRAWAL,
            description="Withdrawal paid",
            destination=PlatformAccount.WITHDRAWALS,
        )
    elif status is WithdrawalStatus.REJECTED:
        ledger.release(hold_id=withdrawal.hold_id, user_id=withdrawal.user_id)


def _audit(
    services: AdminWalletServices,
    actor: Actor,
    action: str,
    *,
    user_id: str,
    target: str,
    change: dict[str, Any],
    origin: RequestOrigin,
) -> None:
    """On the admin's record (who did what to whom), and on the user's (what happened to them)."""
    services.security.log_activity(
        actor.user_id, action, origin, resource=target, details={**change, "user_id": user_id}
    )
    services.security.log_activity(
        user_id, action, RequestOrigin(), resource=target, details={**change, "by": actor.user_id}
    )
