"""Ledger rules: every coin movement is one conditional DynamoDB transaction.

Concurrency: a movement reads the wallet, computes the new figures, and writes the entry, the wallet
(only if its version is unchanged and `available` stays >= 0) and a platform-account shard together.
A lost race re-reads and tries again; throttling is retried a few times after a pause; anything else
a cancelled transaction reports (a validation error) is raised as it is, never retried.

Idempotency: entries and holds carry a fingerprint of their business payload (user, type, signed amount,
platform account, hold). A repeated id with the same fingerprint returns the first result unchanged; the
same id with a different payload is refused with IdempotencyMismatch, so it can never move other money.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from pynamodb.expressions.update import Action

from twtc_core import errors
from twtc_core.clock import iso, utc_now
from twtc_core.dynamo import Check, Transaction
from twtc_core.ledger.models import Credit, Entry, EntryType, Hold, HoldStatus, PlatformAccount, Wallet
from twtc_core.ledger.store import (
    EntryAlreadyWritten,
    EntryItem,
    HoldAlreadyPlaced,
    HoldItem,
    LedgerStore,
    StaleWrite,
    Throttled,
    WalletItem,
    entry_key,
    hold_key,
    wallet_key,
)
from twtc_core.observability import logger, metrics
from twtc_core.pagination import Page

MAX_ATTEMPTS = 60
BACKOFF_CAP_SECONDS = 0.05
MAX_THROTTLED_ATTEMPTS = 5
THROTTLE_BACKOFF_BASE_SECONDS = 0.05
# The pause between attempts; a test replaces it to run without waiting.
pause: Callable[[float], None] = time.sleep

T = TypeVar("T")


class InsufficientFunds(errors.Conflict):
    code = "insufficient_funds"


class WalletNotFound(errors.NotFound):
    code = "wallet_not_found"


class WalletExists(errors.Conflict):
    code = "wallet_exists"


class HoldNotFound(errors.NotFound):
    code = "hold_not_found"


class HoldClosed(errors.Conflict):
    code = "hold_closed"


class CaptureExceedsHold(errors.Conflict):
    code = "capture_exceeds_hold"


class ConcurrentUpdate(errors.Conflict):
    code = "concurrent_update"


class InvalidAmount(errors.Invalid):
    code = "invalid_amount"


class IdempotencyMismatch(errors.Conflict):
    code = "idempotency_mismatch"


class LedgerThrottled(errors.RateLimited):
    code = "ledger_throttled"


class Ledger:
    def __init__(self, store: LedgerStore | None = None) -> None:
        self._store = store or LedgerStore()

    # --- wallets -------------------------------------------------------------------------------
    def open_wallet(self, user_id: str) -> Wallet:
        """Create the user's empty wallet; opening it again returns it as it is."""
        self._store.create_wallet(user_id, iso(utc_now()))
        return self.get_wallet(user_id)

    def open_wallet_with_credit(
        self,
        writes: Transaction,
        *,
        entry_id: str,
        user_id: str,
        amount: int,
        entry_type: EntryType,
        description: str,
        source: PlatformAccount = PlatformAccount.REWARDS_POOL,
    ) -> None:
        """Add to `writes` the user's wallet opened with a first credit, so that whatever else `writes`
        holds commits with it; the wallet and the entry only if new, so opening it again writes nothing.
        The wallet, the entry and the platform shard are what `open_wallet` then `credit` would leave,
        except that the wallet is written once: its version, and the entry's `wallet_version`, is 1."""
        _require_positive(amount)
        entry = _entry_item(
            entry_id=entry_id,
            entry_type=entry_type,
            user_id=user_id,
            signed_amount=amount,
            account=source,
            wallet=None,
            balance_after=amount,
            description=description,
            metadata=None,
            fingerprint=entry_fingerprint(user_id, entry_type, amount, source, hold_id=None),
        )
        self._store.open_wallet_with_entry_with(writes, entry)

    def get_wallet(self, user_id: str) -> Wallet:
        return _wallet(self._require_wallet(user_id))

    def history(self, user_id: str, limit: int, cursor: str | None) -> Page[Entry]:
        """One page of the wallet's entries, newest first; an unknown wallet is WalletNotFound."""
        items, next_cursor = self._store.query_history(user_id, limit, cursor)
        if not items and cursor is None:
            self._require_wallet(
                user_id
            )  # only an empty first page needs to tell "no wallet" from "no entries"
        return Page([_entry(item) for item in items], next_cursor)

    # --- movements -----------------------------------------------------------------------------
    def credit(
        self,
        *,
        entry_id: str,
        user_id: str,
        amount: int,
        entry_type: EntryType,
        description: str,
        source: PlatformAccount = PlatformAccount.REWARDS_POOL,
        metadata: dict[str, Any] | None = None,
    ) -> Entry:
        _require_positive(amount)
        return self._move(
            entry_id=entry_id,
            user_id=user_id,
            signed_amount=amount,
            entry_type=entry_type,
            account=source,
            description=description,
            metadata=metadata,
        )

    def credit_with(
        self,
        writes: Transaction,
        *,
        entry_id: str,
        user_id: str,
        amount: int,
        entry_type: EntryType,
        description: str,
        source: PlatformAccount = PlatformAccount.REWARDS_POOL,
        metadata: dict[str, Any] | None = None,
    ) -> Check | None:
        """Add to `writes` the credit `credit` would commit on the wallet as read now (the entry, the wallet's
        update, the platform shard), so that it commits only with whatever else `writes` holds (the record
        of what earned it). Returns the wallet's check: it fails when the wallet changed since this read,
        and the caller composes the transaction again. An entry id already written fails its put: callers
        condition their own record on the same event, so a replay fails that condition too."""
        credit = Credit(entry_id, amount, entry_type, description, source, metadata)
        return self.credits_with(writes, user_id=user_id, credits=[credit])

    def credits_with(self, writes: Transaction, *, user_id: str, credits: Sequence[Credit]) -> Check | None:
        """`credit_with` for several credits of one wallet (a transaction updates an item once): the
        entries, in order, as consecutive `credit`s would leave them, except that they share the wallet
        version their transaction produces; one wallet update, one update per platform shard."""
        for credit in credits:
            _require_positive(credit.amount)
        wallet = self._require_wallet(user_id)
        balance_after = int(wallet.balance)
        entries = []
        for credit in credits:
            balance_after += credit.amount
            entries.append(
                _entry_item(
                    entry_id=credit.entry_id,
                    entry_type=credit.entry_type,
                    user_id=user_id,
                    signed_amount=credit.amount,
                    account=credit.source,
                    wallet=wallet,
                    balance_after=balance_after,
                    description=credit.description,
                    metadata=credit.metadata,
                    fingerprint=entry_fingerprint(
                        user_id, credit.entry_type, credit.amount, credit.source, hold_id=None
                    ),
                )
            )
        actions = _balance_actions(sum(credit.amount for credit in credits))
        return self._store.commit_entries_with(writes, wallet, actions, entries)

    def debit(
        self,
        *,
        entry_id: str,
        user_id: str,
        amount: int,
        entry_type: EntryType,
        description: str,
        destination: PlatformAccount,
        metadata: dict[str, Any] | None = None,
    ) -> Entry:
        _require_positive(amount)
        return self._move(
            entry_id=entry_id,
            user_id=user_id,
            signed_amount=-amount,
            entry_type=entry_type,
            account=destination,
            description=description,
            metadata=metadata,
        )

    def _move(
        self,
        *,
        entry_id: str,
        user_id: str,
        signed_amount: int,
        entry_type: EntryType,
        account: PlatformAccount,
        description: str,
        metadata: dict[str, Any] | None,
    ) -> Entry:
        fingerprint = entry_fingerprint(user_id, entry_type, signed_amount, account, hold_id=None)

        def attempt() -> Entry:
            wallet = self._require_wallet(user_id)
            if wallet.available + signed_amount < 0:
                return self._existing_entry_or_raise(
                    entry_id,
                    fingerprint,
                    InsufficientFunds("Not enough coins available.", _shortfall(wallet, -signed_amount)),
                )
            entry = _entry_item(
                entry_id=entry_id,
                entry_type=entry_type,
                user_id=user_id,
                signed_amount=signed_amount,
                account=account,
                wallet=wallet,
                balance_after=int(wallet.balance) + signed_amount,
                description=description,
                metadata=metadata,
                fingerprint=fingerprint,
            )
            actions = _balance_actions(signed_amount)
            self._store.commit_entry(wallet, actions, entry)
            return _entry(entry)

        return _with_retries(attempt, fingerprint)

    # --- holds ---------------------------------------------------------------------------------
    def hold(self, *, hold_id: str, user_id: str, amount: int, purpose: EntryType) -> Hold:
        """Reserve `amount` so nothing else can spend it; placing the same hold again returns it."""
        _require_positive(amount)
        fingerprint = hold_fingerprint(user_id, purpose, amount)

        def attempt() -> Hold:
            wallet = self._require_wallet(user_id)
            if wallet.available < amount:
                existing = self._store.get_hold(hold_id)
                if existing is not None:
                    return _replayed_hold(existing, fingerprint)
                raise InsufficientFunds("Not enough coins available.", _shortfall(wallet, amount))
            item, wallet_actions = _new_hold(hold_id, user_id, amount, purpose)
            self._store.commit_hold(wallet, wallet_actions, item)
            return _hold(item)

        return _with_retries(attempt, fingerprint)

    def hold_with(
        self, writes: Transaction, *, hold_id: str, user_id: str, amount: int, purpose: EntryType
    ) -> Check | None:
        """Add to `writes` the hold placed on the wallet as read now, so that it commits only with whatever
        else `writes` holds (a withdrawal and its daily total). Returns the wallet's check: it fails when the
        wallet changed since this read, and the caller composes the transaction again. A hold id already
        placed fails its put: callers key their own record by the same id and answer the replay from it."""
        _require_positive(amount)
        wallet = self._require_wallet(user_id)
        if wallet.available < amount:
            raise InsufficientFunds("Not enough coins available.", _shortfall(wallet, amount))
        item, wallet_actions = _new_hold(hold_id, user_id, amount, purpose)
        return self._store.hold_with(writes, wallet, wallet_actions, item)

    def capture(
        self,
        *,
        hold_id: str,
        user_id: str,
        entry_id: str,
        amount: int,
        entry_type: EntryType,
        description: str,
        destination: PlatformAccount,
        metadata: dict[str, Any] | None = None,
    ) -> Entry:
        """Take `amount` of the user's hold for good (an entry debiting the wallet); the hold closes when
        empty. Two round trips: the hold and wallet read together, then one transaction."""
        _require_positive(amount)
        fingerprint = entry_fingerprint(user_id, entry_type, -amount, destination, hold_id=hold_id)

        def attempt() -> Entry:
            hold, wallet = self._require_hold_and_wallet(hold_id, user_id)
            remaining = hold.amount - hold.captured - hold.released
            if hold.status == HoldStatus.CLOSED.value:
                return self._existing_entry_or_raise(
                    entry_id, fingerprint, HoldClosed("The hold is already closed.")
                )
            if amount > remaining:
                return self._existing_entry_or_raise(
                    entry_id,
                    fingerprint,
                    CaptureExceedsHold("More than the hold has left.", {"remaining": remaining}),
                )
            entry = _entry_item(
                entry_id=entry_id,
                entry_type=entry_type,
                user_id=user_id,
                signed_amount=-amount,
                account=destination,
                wallet=wallet,
                balance_after=int(wallet.balance) - amount,
                description=description,
                metadata={**(metadata or {}), "hold_id": hold_id},
                fingerprint=fingerprint,
            )
            wallet_actions: list[Action] = [
                WalletItem.balance.add(-amount),
                WalletItem.held.add(-amount),
                WalletItem.total_spent.add(amount),
            ]
            hold_actions: list[Action] = [HoldItem.captured.add(amount)]
            if amount == remaining:
                hold_actions.append(HoldItem.status.set(HoldStatus.CLOSED.value))
                wallet_actions.append(WalletItem.open_holds.delete({hold_id}))
            self._store.commit_capture(wallet, wallet_actions, hold, hold_actions, entry)
            return _entry(entry)

        return _with_retries(attempt, fingerprint)

    def release(self, *, hold_id: str, user_id: str) -> Hold:
        """Give back whatever the user's hold has left and close it; releasing a closed hold changes
        nothing. Two round trips, like capture."""

        def attempt() -> Hold:
            hold, wallet = self._require_hold_and_wallet(hold_id, user_id)
            remaining = hold.amount - hold.captured - hold.released
            if hold.status == HoldStatus.CLOSED.value:
                return _hold(hold)
            hold_actions: list[Action] = [
                HoldItem.released.add(remaining),
                HoldItem.status.set(HoldStatus.CLOSED.value),
            ]
            wallet_actions: list[Action] = [
                WalletItem.held.add(-remaining),
                WalletItem.available.add(remaining),
                WalletItem.open_holds.delete({hold_id}),
            ]
            self._store.commit_release(wallet, wallet_actions, hold, hold_actions)
            return replace(_hold(hold), released=int(hold.released + remaining), status=HoldStatus.CLOSED)

        return _with_retries(attempt, fingerprint=None)

    def get_hold(self, hold_id: str) -> Hold:
        return _hold(self._require_hold(hold_id))

    # --- helpers -------------------------------------------------------------------------------
    def _require_wallet(self, user_id: str) -> WalletItem:
        wallet = self._store.get_wallet(user_id)
        if wallet is None:
            raise WalletNotFound("No wallet for this user.")
        return wallet

    def _require_hold(self, hold_id: str) -> HoldItem:
        hold = self._store.get_hold(hold_id)
        if hold is None:
            raise HoldNotFound("No such hold.")
        return hold

    def _require_hold_and_wallet(self, hold_id: str, user_id: str) -> tuple[HoldItem, WalletItem]:
        hold, wallet = self._store.get_hold_and_wallet(hold_id, user_id)
        if hold is None:
            raise HoldNotFound("No such hold.")
        if hold.user_id != user_id:
            raise _mismatch("hold", hold_id)
        if wallet is None:
            raise WalletNotFound("No wallet for this user.")
        return hold, wallet

    def _existing_entry_or_raise(self, entry_id: str, fingerprint: str, error: errors.DomainError) -> Entry:
        """A replay of a movement that already happened answers with it, not with today's refusal."""
        existing = self._store.get_entry(entry_id)
        if existing is None:
            raise error
        return _replayed_entry(existing, fingerprint)


def entry_fingerprint(
    user_id: str, entry_type: EntryType, signed_amount: int, account: PlatformAccount, hold_id: str | None
) -> str:
    return _digest("entry", user_id, entry_type.value, str(signed_amount), account.value, hold_id or "")


def hold_fingerprint(user_id: str, purpose: EntryType, amount: int) -> str:
    return _digest("hold", user_id, purpose.value, str(amount))


def _digest(*parts: str) -> str:
    # The unit separator cannot occur in ids or enum values, so distinct payloads never join alike.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _stored_entry_fingerprint(item: EntryItem) -> str:
    """Entries written before fingerprints were stored are fingerprinted from their own fields."""
    return item.fingerprint or entry_fingerprint(
        item.user_id,
        EntryType(item.type),
        int(item.amount),
        PlatformAccount(item.platform_account),
        (item.metadata or {}).get("hold_id"),
    )


def _stored_hold_fingerprint(item: HoldItem) -> str:
    return item.fingerprint or hold_fingerprint(item.user_id, EntryType(item.purpose), int(item.amount))


def _replayed_entry(existing: EntryItem, fingerprint: str | None) -> Entry:
    if _stored_entry_fingerprint(existing) != fingerprint:
        raise _mismatch("entry", existing.entry_id)
    return _entry(existing)


def _replayed_hold(existing: HoldItem, fingerprint: str | None) -> Hold:
    if _stored_hold_fingerprint(existing) != fingerprint:
        raise _mismatch("hold", existing.hold_id)
    return _hold(existing)


def _mismatch(kind: str, item_id: str) -> IdempotencyMismatch:
    """An id reused for a different payload is a caller's defect worth an operator's eye: log, count."""
    logger.error("idempotency key reused with a different payload", extra={"kind": kind, "id": item_id})
    metrics.add_metric(name="IdempotencyMismatches", unit="Count", value=1)
    return IdempotencyMismatch(
        "This id was already used for a different request.", {"kind": kind, "id": item_id}
    )


def _with_retries(attempt: Callable[[], T], fingerprint: str | None) -> T:
    races = throttles = 0
    while True:
        try:
            return attempt()
        except EntryAlreadyWritten as replay:
            return _replayed_entry(replay.existing, fingerprint)  # type: ignore[return-value]
        except HoldAlreadyPlaced as replay:
            return _replayed_hold(replay.existing, fingerprint)  # type: ignore[return-value]
        except StaleWrite:
            races += 1
            if races >= MAX_ATTEMPTS:
                raise ConcurrentUpdate("The wallet is busy; try again.") from None
            # Full jitter keeps racing writers of one wallet from colliding in lockstep.
            pause(random.uniform(0, min(BACKOFF_CAP_SECONDS, 0.001 * 2**races)))
        except Throttled:
            throttles += 1
            if throttles >= MAX_THROTTLED_ATTEMPTS:
                raise LedgerThrottled("The ledger is over capacity; try again shortly.", 1) from None
            pause(THROTTLE_BACKOFF_BASE_SECONDS * 2**throttles)


def _require_positive(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidAmount("Amounts are positive whole minor units.", {"amount": amount})


def _shortfall(wallet: WalletItem, needed: int) -> dict[str, int]:
    return {"available": int(wallet.available), "required": needed}


def _new_hold(hold_id: str, user_id: str, amount: int, purpose: EntryType) -> tuple[HoldItem, list[Action]]:
    """An open hold and what placing it does to its wallet."""
    item = HoldItem(
        hold_key(hold_id),
        hold_id=hold_id,
        user_id=user_id,
        amount=amount,
        status=HoldStatus.OPEN.value,
        purpose=purpose.value,
        created_at=iso(utc_now()),
        fingerprint=hold_fingerprint(user_id, purpose, amount),
    )
    wallet_actions: list[Action] = [
        WalletItem.held.add(amount),
        WalletItem.available.add(-amount),
        WalletItem.open_holds.add({hold_id}),
    ]
    return item, wallet_actions


def _balance_actions(signed_amount: int) -> list[Action]:
    """What a credit (positive) or debit (negative) of the available coins does to the wallet."""
    return [
        WalletItem.balance.add(signed_amount),
        WalletItem.available.add(signed_amount),
        (WalletItem.total_earned if signed_amount > 0 else WalletItem.total_spent).add(abs(signed_amount)),
    ]


def _entry_item(
    *,
    entry_id: str,
    entry_type: EntryType,
    user_id: str,
    signed_amount: int,
    account: PlatformAccount,
    wallet: WalletItem | None,
    balance_after: int,
    description: str,
    metadata: dict[str, Any] | None,
    fingerprint: str,
) -> EntryItem:
    created_at = iso(utc_now())
    return EntryItem(
        entry_key(entry_id),
        entry_id=entry_id,
        type=entry_type.value,
        user_id=user_id,
        amount=signed_amount,
        platform_account=account.value,
        balance_after=balance_after,
        description=description,
        created_at=created_at,
        metadata=metadata or {},
        fingerprint=fingerprint,
        # The transaction commits only on the version read (none: the wallet opens with the entry), so
        # this is the version it produces.
        wallet_version=int(wallet.version or 0) + 1 if wallet is not None else 1,
        history_pk=wallet_key(user_id),
        history_sk=f"{created_at}#{entry_id}",
    )


def _wallet(item: WalletItem) -> Wallet:
    return Wallet(
        user_id=item.user_id,
        balance=int(item.balance),
        held=int(item.held),
        total_earned=int(item.total_earned),
        total_spent=int(item.total_spent),
    )


def _entry(item: EntryItem) -> Entry:
    return Entry(
        id=item.entry_id,
        type=EntryType(item.type),
        user_id=item.user_id,
        amount=int(item.amount),
        platform_account=PlatformAccount(item.platform_account),
        balance_after=int(item.balance_after),
        description=item.description,
        created_at=datetime.fromisoformat(item.created_at),
        metadata=dict(item.metadata or {}),
    )


def _hold(item: HoldItem) -> Hold:
    return Hold(
        id=item.hold_id,
        user_id=item.user_id,
        amount=int(item.amount),
        captured=int(item.captured),
        released=int(item.released),
        status=HoldStatus(item.status),
        purpose=EntryType(item.purpose),
        created_at=datetime.fromisoformat(item.created_at),
    )
