"""Data access for the ledger table: the only code that touches it. One method per access pattern.

Single table (see docs/access-patterns.md):
  WALLET#<user>    / WALLET       the wallet: balance, held, available (= balance - held, stored so a
                                  condition can test it), totals, version (optimistic locking)
  ENTRY#<entry_id> / ENTRY        one immutable entry; its key *is* the deterministic id, so a second
                                  write of the same id fails its condition and returns the first
                                  GSI history: WALLET#<user> / <created_at>#<entry_id>  (newest first)
  HOLD#<hold_id>   / HOLD         reserved coins and how much of them was captured or released
  PLATFORM#<acct>  / SHARD#<n>    sharded counters for platform accounts (no hot item)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from twtc_core.dynamo import put_if
from twtc_core.pagination import encode_cursor, resume_key
from twtc_core.settings import TABLES

PLATFORM_SHARDS = 10
WALLET_SK = "WALLET"


class _LedgerMeta:
    table_name = TABLES.ledger_table_name
    region = TABLES.aws_region


class WalletItem(Model):
    class Meta(_LedgerMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=WALLET_SK)
    user_id = UnicodeAttribute()
    balance = NumberAttribute(default=0)
    held = NumberAttribute(default=0)
    available = NumberAttribute(default=0)
    total_earned = NumberAttribute(default=0)
    total_spent = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class HistoryIndex(GlobalSecondaryIndex["EntryItem"]):
    class Meta:
        index_name = "history"
        projection = AllProjection()

    history_pk = UnicodeAttribute(hash_key=True)
    history_sk = UnicodeAttribute(range_key=True)


class EntryItem(Model):
    class Meta(_LedgerMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="ENTRY")
    entry_id = UnicodeAttribute()
    type = UnicodeAttribute()
    user_id = UnicodeAttribute()
    amount = NumberAttribute()
    platform_account = UnicodeAttribute()
    balance_after = NumberAttribute()
    description = UnicodeAttribute()
    created_at = UnicodeAttribute()
    metadata = JSONAttribute(default=dict)
    history_pk = UnicodeAttribute()
    history_sk = UnicodeAttribute()
    history = HistoryIndex()


class HoldItem(Model):
    class Meta(_LedgerMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="HOLD")
    hold_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    amount = NumberAttribute()
    captured = NumberAttribute(default=0)
    released = NumberAttribute(default=0)
    status = UnicodeAttribute()
    purpose = UnicodeAttribute()
    created_at = UnicodeAttribute()
    version = VersionAttribute()


class PlatformShardItem(Model):
    class Meta(_LedgerMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    account = UnicodeAttribute()
    balance = NumberAttribute(default=0)


def wallet_key(user_id: str) -> str:
    return f"WALLET#{user_id}"


def entry_key(entry_id: str) -> str:
    return f"ENTRY#{entry_id}"


def hold_key(hold_id: str) -> str:
    return f"HOLD#{hold_id}"


def _platform_update(entry: EntryItem) -> tuple[Model, Sequence[Action], None]:
    """The platform side of an entry: added to one counter shard, chosen by a hash of the entry id
    (stable across retries), so no single item takes every reward's write."""
    shard = int(hashlib.sha256(entry.entry_id.encode()).hexdigest(), 16) % PLATFORM_SHARDS
    item = PlatformShardItem(f"PLATFORM#{entry.platform_account}", f"SHARD#{shard:02d}")
    return (
        item,
        [PlatformShardItem.balance.add(-entry.amount), PlatformShardItem.account.set(entry.platform_account)],
        None,
    )


class EntryAlreadyWritten(Exception):
    def __init__(self, existing: EntryItem) -> None:
        super().__init__(existing.entry_id)
        self.existing = existing


class HoldAlreadyPlaced(Exception):
    def __init__(self, existing: HoldItem) -> None:
        super().__init__(existing.hold_id)
        self.existing = existing


class StaleWrite(Exception):
    """A condition on the wallet or hold failed: someone else wrote it since we read it."""


class LedgerStore:
    def __init__(self) -> None:
        self._connection = Connection(region=TABLES.aws_region)

    # --- wallets -------------------------------------------------------------------------------
    def get_wallet(self, user_id: str) -> WalletItem | None:
        try:
            return WalletItem.get(wallet_key(user_id), WALLET_SK, consistent_read=True)
        except WalletItem.DoesNotExist:
            return None

    def create_wallet(self, user_id: str, created_at: str) -> bool:
        """Put an empty wallet; False when it exists already."""
        item = WalletItem(wallet_key(user_id), user_id=user_id, created_at=created_at)
        return put_if(item, WalletItem.pk.does_not_exist())

    def scan_wallets(self) -> Iterator[WalletItem]:
        return WalletItem.scan(WalletItem.sk == WALLET_SK, consistent_read=True)

    # --- entries -------------------------------------------------------------------------------
    def get_entry(self, entry_id: str) -> EntryItem | None:
        try:
            return EntryItem.get(entry_key(entry_id), "ENTRY", consistent_read=True)
        except EntryItem.DoesNotExist:
            return None

    def query_history(
        self, user_id: str, limit: int, cursor: str | None
    ) -> tuple[list[EntryItem], str | None]:
        """One page of the wallet's entries, newest first, and the opaque cursor of the next page."""
        start_key = resume_key(
            cursor,
            key_names=("pk", "sk", "history_pk", "history_sk"),
            partition=("history_pk", wallet_key(user_id)),
        )
        results = EntryItem.history.query(
            wallet_key(user_id), scan_index_forward=False, limit=limit, last_evaluated_key=start_key
        )
        items = list(results)
        return items, encode_cursor(results.last_evaluated_key)

    def scan_entries(self) -> Iterator[EntryItem]:
        return EntryItem.scan(EntryItem.sk == "ENTRY", consistent_read=True)

    # --- holds ---------------------------------------------------------------------------------
    def get_hold(self, hold_id: str) -> HoldItem | None:
        try:
            return HoldItem.get(hold_key(hold_id), "HOLD", consistent_read=True)
        except HoldItem.DoesNotExist:
            return None

    def scan_holds(self) -> Iterator[HoldItem]:
        return HoldItem.scan(HoldItem.sk == "HOLD", consistent_read=True)

    # --- platform accounts ---------------------------------------------------------------------
    def scan_platform_shards(self) -> Iterator[PlatformShardItem]:
        return PlatformShardItem.scan(PlatformShardItem.pk.startswith("PLATFORM#"), consistent_read=True)

    # --- the transactions: each movement is exactly one ----------------------------------------
    def commit_entry(self, wallet: WalletItem, wallet_actions: Sequence[Action], entry: EntryItem) -> None:
        """Entry + wallet + platform shard, atomically; the entry only if its id is new, the wallet
        only if unchanged since read."""
        self._transact(
            puts=[(entry, EntryItem.pk.does_not_exist())],
            updates=[(wallet, wallet_actions, None), _platform_update(entry)],
        )

    def commit_hold(self, wallet: WalletItem, wallet_actions: Sequence[Action], hold: HoldItem) -> None:
        self._transact(puts=[(hold, HoldItem.pk.does_not_exist())], updates=[(wallet, wallet_actions, None)])

    def commit_capture(
        self,
        wallet: WalletItem,
        wallet_actions: Sequence[Action],
        hold: HoldItem,
        hold_actions: Sequence[Action],
        entry: EntryItem,
    ) -> None:
        self._transact(
            puts=[(entry, EntryItem.pk.does_not_exist())],
            updates=[
                (wallet, wallet_actions, None),
                (hold, hold_actions, None),
                _platform_update(entry),
            ],
        )

    def commit_release(
        self,
        wallet: WalletItem,
        wallet_actions: Sequence[Action],
        hold: HoldItem,
        hold_actions: Sequence[Action],
    ) -> None:
        self._transact(puts=[], updates=[(wallet, wallet_actions, None), (hold, hold_actions, None)])

    def _transact(
        self, puts: list[tuple[Model, Any]], updates: list[tuple[Model, Sequence[Action], Any]]
    ) -> None:
        try:
            with TransactWrite(connection=self._connection) as transaction:
                for item, condition in puts:
                    transaction.save(item, condition=condition, return_values="ALL_OLD")
                for item, actions, condition in updates:
                    transaction.update(item, actions=list(actions), condition=condition)
        except TransactWriteError as error:
            for reason in error.cancellation_reasons:
                if reason is not None and reason.raw_item is not None:
                    raise _already_written(reason.raw_item) from error
            if error.cause_response_code == "TransactionCanceledException":
                raise StaleWrite() from error
            raise


def _already_written(raw_item: dict[str, Any]) -> Exception:
    if raw_item["pk"]["S"].startswith("HOLD#"):
        return HoldAlreadyPlaced(HoldItem.from_raw_data(raw_item))
    return EntryAlreadyWritten(EntryItem.from_raw_data(raw_item))
