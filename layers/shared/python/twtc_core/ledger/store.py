"""Data access for the ledger table: the only code that touches it. One method per access pattern.

Single table (see docs/access-patterns.md):
  WALLET#<user>    / WALLET       the wallet: balance, held, available (= balance - held, stored so a
                                  condition can test it), totals, version (optimistic locking)
  ENTRY#<entry_id> / ENTRY        one immutable entry; its key *is* the deterministic id, so a second
                                  write of the same id fails its condition and returns the first
                                  GSI history: WALLET#<user> / <created_at>#<entry_id>  (newest first)
  HOLD#<hold_id>   / HOLD         reserved coins and how much of them was captured or released
  Entries and holds carry `fingerprint`: a digest of their business payload, so a replayed id can be
  told apart from the same id reused for something else.
  PLATFORM#<acct>#SHARD#<n> / DAY#<yyyy-mm-dd>
                                  sharded counters for platform accounts: the shard is in the partition
                                  key, so no partition takes every reward's write (issue 15: at 1 million
                                  users one partition per account would take ~6x DynamoDB's 1,000 WCU/s);
                                  one item per shard and day of the entries' `created_at`, so
                                  reconciliation can check closed days
  Each entry records `wallet_version`, the wallet version its transaction produced, and the wallet keeps
  `open_holds`, the ids of its open holds: reconciliation's consistent cut (see reconcile.py).
  RECONCILE#<day>  / RUN          that day's reconciliation run: where its scans stopped and what they
                                  found so far (a checkpoint), and which invocation holds it until when
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar, cast

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    VersionAttribute,
)
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model, _ModelFuture
from pynamodb.transactions import TransactGet, TransactWrite

from twtc_core.dynamo import CAPACITY_REASONS, CONDITION_FAILED, CONFLICT_REASON, Check, Transaction, put_if
from twtc_core.ids import stable_shard
from twtc_core.pagination import encode_cursor, resume_key
from twtc_core.settings import TABLES

# Issue 15: 32 partitions keep the rewards pool's at ~17 % of a partition's writes with 1 million users.
PLATFORM_SHARDS = 32
WALLET_SK = "WALLET"

M = TypeVar("M", bound=Model)


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
    open_holds = UnicodeSetAttribute(null=True)
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
    fingerprint = UnicodeAttribute(null=True)
    wallet_version = NumberAttribute(null=True)
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
    fingerprint = UnicodeAttribute(null=True)
    version = VersionAttribute()


class ReconciliationItem(Model):
    class Meta(_LedgerMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="RUN")
    progress = JSONAttribute()
    finished = BooleanAttribute(default=False)
    lease_until = UnicodeAttribute()
    version = VersionAttribute()


class PlatformShardItem(Model):
    class Meta(_LedgerMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    account = UnicodeAttribute()
    day = UnicodeAttribute(null=True)
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
    (update,) = _platform_updates([entry])
    return update


def _platform_updates(entries: Sequence[EntryItem]) -> list[tuple[Model, Sequence[Action], None]]:
    """The platform side of entries, one update per counter shard and day they land on."""
    totals: dict[tuple[str, int, str], int] = {}
    for entry in entries:
        key = (
            entry.platform_account,
            stable_shard(entry.entry_id, PLATFORM_SHARDS),
            entry_day(entry.created_at),
        )
        totals[key] = totals.get(key, 0) + int(entry.amount)
    return [
        (
            PlatformShardItem(platform_shard_key(account, shard), f"DAY#{day}"),
            [
                PlatformShardItem.balance.add(-amount),
                PlatformShardItem.account.set(account),
                PlatformShardItem.day.set(day),
            ],
            None,
        )
        for (account, shard, day), amount in totals.items()
    ]


def platform_shard_key(account: str, shard: int) -> str:
    return f"PLATFORM#{account}#SHARD#{shard:02d}"


def reconciliation_key(day: str) -> str:
    return f"RECONCILE#{day}"


def entry_day(created_at: str) -> str:
    return created_at[:10]


# What reconciliation reads: plain values, no model leaves the store.
@dataclass(frozen=True)
class WalletState:
    user_id: str
    balance: int
    held: int
    available: int
    version: int
    open_holds: frozenset[str]


@dataclass(frozen=True)
class EntryFact:
    entry_id: str
    user_id: str
    amount: int
    platform_account: str
    day: str
    wallet_version: int | None  # None: written before entries recorded it


@dataclass(frozen=True)
class ShardBalance:
    account: str
    day: str  # "" for counters kept before they were split by day
    balance: int


ScanKey = dict[str, Any]  # a Scan's LastEvaluatedKey, as DynamoDB returns it (plain JSON)


@dataclass(frozen=True)
class Checkpoint:
    """A reconciliation run as saved: its progress (reconcile.py's to read), whether it finished, and the
    invocation's lease on it."""

    day: str
    progress: dict[str, Any]
    finished: bool
    lease_until: str
    version: int | None  # None: not saved yet


@dataclass(frozen=True)
class HoldSnapshot:
    wallet: WalletState | None
    reserved: dict[str, int]  # what each requested hold still reserves (0 when closed or missing)


def _wallet_state(item: WalletItem) -> WalletState:
    return WalletState(
        user_id=item.user_id,
        balance=int(item.balance),
        held=int(item.held),
        available=int(item.available),
        version=int(item.version or 0),
        open_holds=frozenset(item.open_holds or ()),
    )


def _entry_fact(raw: dict[str, Any]) -> EntryFact | ShardBalance:
    if raw["sk"]["S"] != "ENTRY":
        shard = PlatformShardItem.from_raw_data(raw)
        return ShardBalance(shard.account, shard.day or "", int(shard.balance))
    entry = EntryItem.from_raw_data(raw)
    return EntryFact(
        entry_id=entry.entry_id,
        user_id=entry.user_id,
        amount=int(entry.amount),
        platform_account=entry.platform_account,
        day=entry_day(entry.created_at),
        wallet_version=None if entry.wallet_version is None else int(entry.wallet_version),
    )


def _reserved(hold: HoldItem | None) -> int:
    if hold is None or hold.status != "OPEN":
        return 0
    return int(hold.amount - hold.captured - hold.released)


class EntryAlreadyWritten(Exception):
    def __init__(self, existing: EntryItem) -> None:
        super().__init__(existing.entry_id)
        self.existing = existing


class HoldAlreadyPlaced(Exception):
    def __init__(self, existing: HoldItem) -> None:
        super().__init__(existing.hold_id)
        self.existing = existing


class StaleWrite(Exception):
    """The wallet or hold changed (or vanished) since we read it, or another transaction held it:
    read again and retry."""


class Throttled(Exception):
    """DynamoDB refused for capacity: worth retrying after a pause, a bounded number of times."""


class WriteRejected(Exception):
    """DynamoDB refused the transaction as invalid (a ValidationError, an item too large): a defect,
    never worth retrying."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


# Cancellation reason codes (TransactWriteItems API reference) by what they mean for the caller.
_RACE_CODES = frozenset({"ConditionalCheckFailed", CONFLICT_REASON})
_CAPACITY_ERRORS = frozenset(
    {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"}
)


class LedgerStore:
    def __init__(self) -> None:
        # The transactions share the models' botocore client, so whatever hooks the models' calls
        # (retry settings, fault injection in tests) sees the transactions too.
        self._connection = WalletItem._get_connection().connection

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

    def open_wallet_with_entry_with(self, writes: Transaction, entry: EntryItem) -> None:
        """Add to `writes` the entry's wallet, opened holding it (the entry, a credit, is its first
        movement), the entry and its platform shard; wallet and entry only if new."""
        wallet = WalletItem(
            wallet_key(entry.user_id),
            user_id=entry.user_id,
            created_at=entry.created_at,
            balance=entry.amount,
            available=entry.amount,
            total_earned=entry.amount,
        )
        writes.put(wallet, WalletItem.pk.does_not_exist())
        writes.put(entry, EntryItem.pk.does_not_exist())
        shard, shard_actions, _ = _platform_update(entry)
        writes.update(shard, list(shard_actions))

    def scan_wallet_page(
        self, segment: int, total_segments: int, start_key: ScanKey | None, limit: int | None = None
    ) -> tuple[list[WalletState], ScanKey | None]:
        """One page of a parallel-scan segment's wallets, and where the next page starts (None: done)."""
        items, next_key = self._scan_page(
            WalletItem.sk == WALLET_SK, segment, total_segments, start_key, limit
        )
        return [_wallet_state(WalletItem.from_raw_data(raw)) for raw in items], next_key

    def entries_sum(self, user_id: str, through_version: int) -> int:
        """Σ the wallet's entries up to the wallet version `through_version` (and any written before entries
        recorded it), through the history index."""
        return sum(
            int(entry.amount)
            for entry in EntryItem.history.query(wallet_key(user_id))
            if entry.wallet_version is None or entry.wallet_version <= through_version
        )

    def snapshot_holds(self, user_id: str, hold_ids: frozenset[str]) -> HoldSnapshot:
        """The wallet and these holds as of one instant (TransactGetItems is serializable)."""
        ordered = sorted(hold_ids)
        with TransactGet(connection=self._connection) as transaction:
            wallet = transaction.get(WalletItem, wallet_key(user_id), WALLET_SK)
            holds = [transaction.get(HoldItem, hold_key(hold_id), "HOLD") for hold_id in ordered]
        found = _present(wallet)
        return HoldSnapshot(
            wallet=_wallet_state(found) if found is not None else None,
            reserved={
                hold_id: _reserved(_present(hold)) for hold_id, hold in zip(ordered, holds, strict=True)
            },
        )

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

    def scan_entries_and_shards(
        self, segment: int, total_segments: int
    ) -> Iterator[EntryFact | ShardBalance]:
        """One parallel-scan segment's entries and platform counters, every page."""
        start_key: ScanKey | None = None
        while True:
            facts, start_key = self.scan_entry_page(segment, total_segments, start_key)
            yield from facts
            if start_key is None:
                return

    def scan_entry_page(
        self, segment: int, total_segments: int, start_key: ScanKey | None, limit: int | None = None
    ) -> tuple[list[EntryFact | ShardBalance], ScanKey | None]:
        """One page of a parallel-scan segment's entries and platform counters (one read of the table for
        both), and where the next page starts (None: done)."""
        items, next_key = self._scan_page(
            (EntryItem.sk == "ENTRY") | PlatformShardItem.pk.startswith("PLATFORM#"),
            segment,
            total_segments,
            start_key,
            limit,
        )
        return [_entry_fact(raw) for raw in items], next_key

    def _scan_page(
        self,
        condition: Any,
        segment: int,
        total_segments: int,
        start_key: ScanKey | None,
        limit: int | None,
    ) -> tuple[list[dict[str, Any]], ScanKey | None]:
        page = self._connection.scan(
            TABLES.ledger_table_name,
            filter_condition=condition,
            # The key map DynamoDB returned; PynamoDB's annotation (str) is narrower than what it passes on.
            exclusive_start_key=cast(Any, start_key),
            segment=segment,
            total_segments=total_segments,
            limit=limit,
            consistent_read=True,
        )
        return page.get("Items", []), page.get("LastEvaluatedKey")

    # --- reconciliation runs -------------------------------------------------------------------
    def get_checkpoint(self, day: str) -> Checkpoint | None:
        try:
            item = ReconciliationItem.get(reconciliation_key(day), "RUN", consistent_read=True)
        except ReconciliationItem.DoesNotExist:
            return None
        return Checkpoint(day, item.progress, bool(item.finished), item.lease_until, int(item.version or 0))

    def save_checkpoint(self, checkpoint: Checkpoint) -> Checkpoint:
        """Save the run if nobody saved it since `checkpoint` was read; StaleWrite when somebody did."""
        item = ReconciliationItem(
            reconciliation_key(checkpoint.day),
            progress=checkpoint.progress,
            finished=checkpoint.finished,
            lease_until=checkpoint.lease_until,
        )
        if checkpoint.version is not None:
            item.version = checkpoint.version
        try:
            item.save()  # conditional on the version read (none: not saved yet)
        except PutError as error:
            if error.cause_response_code == CONDITION_FAILED:
                raise StaleWrite(reconciliation_key(checkpoint.day)) from error
            raise
        return replace(checkpoint, version=int(item.version or 0))

    # --- holds ---------------------------------------------------------------------------------
    def get_hold(self, hold_id: str) -> HoldItem | None:
        try:
            return HoldItem.get(hold_key(hold_id), "HOLD", consistent_read=True)
        except HoldItem.DoesNotExist:
            return None

    def get_hold_and_wallet(self, hold_id: str, user_id: str) -> tuple[HoldItem | None, WalletItem | None]:
        """The hold and its owner's wallet in one round trip (TransactGetItems reads are serializable)."""
        with TransactGet(connection=self._connection) as transaction:
            hold = transaction.get(HoldItem, hold_key(hold_id), "HOLD")
            wallet = transaction.get(WalletItem, wallet_key(user_id), WALLET_SK)
        return _present(hold), _present(wallet)

    # --- the transactions: each movement is exactly one ----------------------------------------
    def commit_entry(self, wallet: WalletItem, wallet_actions: Sequence[Action], entry: EntryItem) -> None:
        """Entry + wallet + platform shard, atomically; the entry only if its id is new, the wallet
        only if unchanged since read."""
        self._transact(
            puts=[(entry, EntryItem.pk.does_not_exist())],
            updates=[(wallet, wallet_actions, None), _platform_update(entry)],
        )

    def commit_entries_with(
        self,
        writes: Transaction,
        wallet: WalletItem,
        wallet_actions: Sequence[Action],
        entries: Sequence[EntryItem],
    ) -> Check | None:
        """Add to `writes` what `commit_entry` commits, for one or more entries of the wallet: each entry (if
        new), the wallet's update and the platform shards (entries landing on one shard update it once:
        a transaction writes an item once); the returned check fails when the wallet's version moved."""
        for entry in entries:
            writes.put(entry, EntryItem.pk.does_not_exist())
        for shard, shard_actions, _ in _platform_updates(entries):
            writes.update(shard, list(shard_actions))
        return writes.update(wallet, list(wallet_actions), WalletItem.pk.exists())

    def commit_hold(self, wallet: WalletItem, wallet_actions: Sequence[Action], hold: HoldItem) -> None:
        self._transact(puts=[(hold, HoldItem.pk.does_not_exist())], updates=[(wallet, wallet_actions, None)])

    def hold_with(
        self, writes: Transaction, wallet: WalletItem, wallet_actions: Sequence[Action], hold: HoldItem
    ) -> Check | None:
        """Add to `writes` the hold (if new) and the wallet's update; the returned check fails when the
        wallet's version moved or its `available` no longer covers the hold."""
        writes.put(hold, HoldItem.pk.does_not_exist())
        return writes.update(wallet, list(wallet_actions), WalletItem.available >= int(hold.amount))

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
            raise _classified(error) from error


def _classified(error: TransactWriteError) -> Exception:
    """What a failed transaction means: a replay, a race, throttling, or a defect — never guessed.

    Only the puts (entries, holds) return the item they collided with; a version race on the wallet or
    hold returns none, and a vanished wallet or hold is found missing by the re-read that follows."""
    if error.cause_response_code in _CAPACITY_ERRORS:
        return Throttled(error.cause_response_code)
    if error.cause_response_code != "TransactionCanceledException":
        return error
    codes = [
        reason.code for reason in error.cancellation_reasons if reason is not None and reason.code != "None"
    ]
    for reason in error.cancellation_reasons:
        if reason is not None and reason.raw_item is not None:
            return _already_written(reason.raw_item)
    if any(code in CAPACITY_REASONS for code in codes):
        return Throttled(", ".join(codes))
    if codes and all(code in _RACE_CODES for code in codes):
        return StaleWrite(", ".join(codes))
    return WriteRejected(codes)


def _present(future: _ModelFuture[M]) -> M | None:
    try:
        return future.get()
    except Model.DoesNotExist:
        return None


def _already_written(raw_item: dict[str, Any]) -> Exception:
    if raw_item["pk"]["S"].startswith("HOLD#"):
        return HoldAlreadyPlaced(HoldItem.from_raw_data(raw_item))
    return EntryAlreadyWritten(EntryItem.from_raw_data(raw_item))
