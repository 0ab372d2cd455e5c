"""Withdrawal rules: only a KYC-verified user, at least MIN_WITHDRAWAL, at most DAILY_WITHDRAWAL_LIMIT per UTC
day, at most WALLET_TRANSACTIONS_PER_HOUR, never more than is available.

A request is one transaction: the withdrawal, its ledger hold (on the wallet as read), the day's total
(conditional ADD), the hour's count and the activity — all or none, so concurrent requests can pass neither
the balance nor the limits. With an `Idempotency-Key` the withdrawal's id is derived from (user, key): a
replay finds the first withdrawal and answers it, a different body under the same key is refused.

The full destination is sealed (KMS, under the withdrawal's id and owner) once per request, after the rules
passed and before the first attempt, and stored beside the masked form by the same transaction; a replay
finds the first withdrawal before sealing anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from functions.withdrawals.models import WithdrawalIn, WithdrawalPageOut
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.dynamo import Transaction, TransactionContended
from twtc_core.ids import new_id
from twtc_core.ledger import EntryType, IdempotencyMismatch, InsufficientFunds, Ledger
from twtc_core.ratelimit import RateLimit, RateLimiter, refused, slot_now
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore
from twtc_core.withdrawals.errors import (
    AmountBelowMinimum,
    DailyWithdrawalLimit,
    KycRequired,
    TooManyWalletTransactions,
    WithdrawalBusy,
    WithdrawalNotFound,
)
from twtc_core.withdrawals.models import Withdrawal, WithdrawalStatus, withdrawal_hold_id
from twtc_core.withdrawals.sealing import DestinationSealer
from twtc_core.withdrawals.store import WithdrawalStore
from twtc_core.withdrawals.views import WithdrawalOut

VERIFIED = "VERIFIED"
WALLET_TRANSACTIONS_SCOPE = "wallet-transactions"
HOUR_SECONDS = 3600
# A wallet written by someone else between our read and our commit costs one more attempt.
MAX_ATTEMPTS = 30


@dataclass(frozen=True)
class WithdrawalLimits:
    minimum: int
    daily_limit: int
    transactions_per_hour: int


@dataclass(frozen=True)
class WithdrawalServices:
    withdrawals: WithdrawalStore
    ledger: Ledger
    profiles: ProfileStore
    limiter: RateLimiter
    security: SecurityStore
    limits: WithdrawalLimits
    sealer: DestinationSealer
    stats: StatsStore


def request_withdrawal(
    services: WithdrawalServices,
    user_id: str,
    request: WithdrawalIn,
    idempotency_key: str | None,
    origin: RequestOrigin,
) -> WithdrawalOut:
    withdrawal_id = keyed_id(user_id, idempotency_key) if idempotency_key else new_id()
    sealed: bytes | None = None
    for _ in range(MAX_ATTEMPTS):
        if idempotency_key and (first := services.withdrawals.get(withdrawal_id)) is not None:
            return _replay(first, request)
        if sealed is None:
            _require_allowed(services, user_id, request)
            sealed = services.sealer.seal(
                request.destination.full, withdrawal_id=withdrawal_id, user_id=user_id
            )
        try:
            placed = _placed(services, user_id, withdrawal_id, request, sealed, origin=origin)
        except InsufficientFunds:
            # A parallel send of this key may have held the money first: then its answer is ours.
            if idempotency_key and (first := services.withdrawals.get(withdrawal_id)) is not None:
                return _replay(first, request)
            raise
        if placed is not None:
            return WithdrawalOut.of(placed)
    raise WithdrawalBusy("The wallet is busy; try again.")


def my_withdrawals(
    services: WithdrawalServices, user_id: str, limit: int, cursor: str | None
) -> WithdrawalPageOut:
    page = services.withdrawals.of_user(user_id, limit, cursor)
    return WithdrawalPageOut(
        items=[WithdrawalOut.of(item) for item in page.items], next_cursor=page.next_cursor
    )


def my_withdrawal(services: WithdrawalServices, user_id: str, withdrawal_id: str) -> WithdrawalOut:
    """Another user's withdrawal is answered as unknown: its id reveals nothing."""
    withdrawal = services.withdrawals.get(withdrawal_id)
    if withdrawal is None or withdrawal.user_id != user_id:
        raise WithdrawalNotFound("No such withdrawal.")
    return WithdrawalOut.of(withdrawal)


def keyed_id(user_id: str, idempotency_key: str) -> str:
    """The same (user, key), the same withdrawal; another user's same key is another withdrawal."""
    return hashlib.sha256(f"withdrawal\x1f{user_id}\x1f{idempotency_key}".encode()).hexdigest()[:32]


def _require_allowed(services: WithdrawalServices, user_id: str, request: WithdrawalIn) -> None:
    profile = services.profiles.get(user_id)
    if profile is None or profile.kyc_status != VERIFIED:
        raise KycRequired("Verify your identity (KYC) before withdrawing.")
    if request.amount < services.limits.minimum:
        raise AmountBelowMinimum(
            "The amount is below the minimum withdrawal.", {"minimum": services.limits.minimum}
        )


def _placed(
    services: WithdrawalServices,
    user_id: str,
    withdrawal_id: str,
    request: WithdrawalIn,
    sealed_destination: bytes,
    *,
    origin: RequestOrigin,
) -> Withdrawal | None:
    """One attempt at the request's transaction: the withdrawal when it committed; None when the wallet
    moved since it was read or a concurrent request with the same key placed it first (look again)."""
    now = datetime.fromisoformat(iso(utc_now()))  # as stored: the first answer and its replays agree
    withdrawal = Withdrawal(
        id=withdrawal_id,
        user_id=user_id,
        amount=request.amount,
        status=WithdrawalStatus.REQUESTED,
        destination_masked=request.destination.masked,
        created_at=now,
        updated_at=now,
        request_fingerprint=request.fingerprint,
        sealed_destination=sealed_destination,
    )
    hour = slot_now(
        RateLimit(WALLET_TRANSACTIONS_SCOPE, services.limits.transactions_per_hour, HOUR_SECONDS), user_id
    )
    writes = Transaction()
    created = services.withdrawals.create_with(writes, withdrawal)
    wallet = services.ledger.hold_with(
        writes,
        hold_id=withdrawal_hold_id(withdrawal_id),
        user_id=user_id,
        amount=request.amount,
        purpose=EntryType.WITHDRAWAL_HOLD,
    )
    day = services.withdrawals.add_to_daily_total_with(
        writes, user_id, now, request.amount, services.limits.daily_limit
    )
    counted = services.limiter.take_with(writes, hour)
    services.security.log_activity_with(writes, user_id, "withdrawal_requested", origin, withdrawal_id)
    services.stats.count_with(writes, utc_day(now), Metric.WITHDRAWALS)  # counted once, with the request
    try:
        failed = writes.commit()
    except TransactionContended:
        return None
    if not failed:
        return withdrawal
    if created in failed:
        return None
    if counted in failed:
        raise refused(hour, TooManyWalletTransactions)
    if day in failed:
        raise DailyWithdrawalLimit(
            "This would pass today's withdrawal limit.", {"daily_limit": services.limits.daily_limit}
        )
    if wallet in failed:
        return None
    raise WithdrawalBusy("The withdrawal could not be placed; try again.")


def _replay(first: Withdrawal, request: WithdrawalIn) -> WithdrawalOut:
    """The first response again: what was created, as it was created (review may have moved it since)."""
    if first.request_fingerprint != request.fingerprint:
        raise IdempotencyMismatch("This Idempotency-Key was used for a different withdrawal.")
    return WithdrawalOut.of(replace(first, status=WithdrawalStatus.REQUESTED))
