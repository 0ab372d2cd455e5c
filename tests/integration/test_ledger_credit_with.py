"""A ledger credit composed into the caller's transaction (`credit_with`, `credits_with`), against moto:
it commits only with the caller's writes, loses to a concurrent movement of the wallet, pays a replayed
id nothing, and leaves exactly what `credit` leaves."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.ledger import credit
from twtc_core.clock import Clock, utc_day
from twtc_core.dynamo import Check, Transaction
from twtc_core.ids import stable_shard
from twtc_core.ledger import (
    Credit,
    Entry,
    EntryType,
    IdempotencyMismatch,
    Ledger,
    PlatformAccount,
    WalletNotFound,
)
from twtc_core.ledger.reconcile import reconcile
from twtc_core.ledger.service import InvalidAmount, entry_fingerprint
from twtc_core.ledger.store import (
    PLATFORM_SHARDS,
    EntryItem,
    LedgerStore,
    PlatformShardItem,
    WalletItem,
    platform_shard_key,
    wallet_key,
)

DAY = 24 * 3600
REWARD = 700


@pytest.fixture
def ledger(aws: dict[str, str]) -> Ledger:
    ledger = Ledger()
    for user_id in ("u1", "u2"):
        ledger.open_wallet(user_id)
        credit(ledger, f"seed:{user_id}", user_id, 1_000)
    return ledger


REWARD_PAYLOAD: dict[str, Any] = {
    "amount": REWARD,
    "entry_type": EntryType.TASK,
    "description": "task",
    "metadata": {"task_id": "t1"},
}


def reward(ledger: Ledger, entry_id: str, user_id: str) -> Entry:
    return ledger.credit(entry_id=entry_id, user_id=user_id, **REWARD_PAYLOAD)


def reward_with(ledger: Ledger, writes: Transaction, entry_id: str, user_id: str) -> Check | None:
    return ledger.credit_with(writes, entry_id=entry_id, user_id=user_id, **REWARD_PAYLOAD)


def stored_entry(entry_id: str) -> EntryItem:
    entry = LedgerStore().get_entry(entry_id)
    assert entry is not None
    return entry


def shard_balance(entry_id: str) -> int:
    shard = platform_shard_key(PlatformAccount.REWARDS_POOL, stable_shard(entry_id, PLATFORM_SHARDS))
    return int(PlatformShardItem.get(shard, f"DAY#{utc_day()}").balance)


def test_a_composed_credit_writes_what_credit_writes(ledger: Ledger, clock: Clock) -> None:
    # Given two wallets alike; u1 is credited on its own, u2 within a transaction of the caller's
    reward(ledger, "task:u1", "u1")
    writes = Transaction()
    reward_with(ledger, writes, "task:u2", "u2")
    # When the caller commits
    assert writes.commit() == frozenset()
    # Then both wallets, entries and platform shards hold the same figures
    assert ledger.get_wallet("u2").balance == ledger.get_wallet("u1").balance == 1_700
    alone, composed = stored_entry("task:u1"), stored_entry("task:u2")
    fields = (
        "type",
        "amount",
        "platform_account",
        "balance_after",
        "description",
        "metadata",
        "wallet_version",
    )
    assert [getattr(composed, name) for name in fields] == [getattr(alone, name) for name in fields]
    assert composed.fingerprint == entry_fingerprint(
        "u2", EntryType.TASK, REWARD, PlatformAccount.REWARDS_POOL, None
    )
    assert shard_balance("task:u2") == shard_balance("task:u1") == -REWARD
    # And the entry is the ledger's own: `credit` replays it, another payload under its id is refused
    replayed = reward(ledger, "task:u2", "u2")
    assert replayed.balance_after == 1_700 and ledger.get_wallet("u2").balance == 1_700
    with pytest.raises(IdempotencyMismatch):
        credit(ledger, "task:u2", "u2", REWARD + 1)
    clock.advance(DAY)
    report = reconcile()
    assert report.ok and report.platform_balances == {"REWARDS_POOL": -2 * (1_000 + REWARD)}


def test_a_composed_credit_commits_only_with_the_callers_writes(ledger: Ledger, clock: Clock) -> None:
    # Given a credit composed with a caller's write whose condition fails
    writes = Transaction()
    wallet = reward_with(ledger, writes, "task:u1", "u1")
    caller = writes.check(WalletItem, wallet_key("nobody"), "WALLET", WalletItem.pk.exists())
    # When it is committed
    failed = writes.commit()
    # Then the caller's condition is the one that failed, and nothing moved
    assert caller in failed and wallet not in failed
    assert LedgerStore().get_entry("task:u1") is None
    assert ledger.get_wallet("u1").balance == 1_000
    clock.advance(DAY)
    report = reconcile()
    assert report.ok and report.platform_balances == {"REWARDS_POOL": -2_000}


def test_a_wallet_that_moved_since_the_read_fails_the_credits_check(ledger: Ledger) -> None:
    # Given a credit composed on the wallet as read
    writes = Transaction()
    wallet = reward_with(ledger, writes, "task:u1", "u1")
    # When another movement of the wallet commits first
    credit(ledger, "task:other", "u1", 50)
    # Then the composed credit's wallet check fails and it writes nothing
    assert wallet in writes.commit()
    assert LedgerStore().get_entry("task:u1") is None
    assert ledger.get_wallet("u1").balance == 1_050
    # And composed again on a fresh read it commits on top of the other movement
    again = Transaction()
    reward_with(ledger, again, "task:u1", "u1")
    assert again.commit() == frozenset()
    assert stored_entry("task:u1").balance_after == 1_750


def test_a_replayed_composed_credit_pays_nothing(ledger: Ledger, clock: Clock) -> None:
    # Given a composed credit that committed
    first = Transaction()
    reward_with(ledger, first, "task:u1", "u1")
    assert first.commit() == frozenset()
    # When the same credit is composed and committed again
    again = Transaction()
    wallet = reward_with(ledger, again, "task:u1", "u1")
    failed = again.commit()
    # Then its entry's condition (not the wallet's) failed, and it paid nothing
    assert failed and wallet not in failed
    assert ledger.get_wallet("u1").balance == 1_000 + REWARD
    assert [entry.id for entry in ledger.history("u1", 10, None).items] == ["task:u1", "seed:u1"]
    clock.advance(DAY)
    assert reconcile().ok


def test_several_credits_of_one_wallet_commit_as_consecutive_credits(ledger: Ledger, clock: Clock) -> None:
    # Given a reward and a bonus whose entries land on the same platform shard (one update of it)
    bonus_id = next(
        f"bonus:{n}"
        for n in range(1_000)
        if stable_shard(f"bonus:{n}", PLATFORM_SHARDS) == stable_shard("task:u1", PLATFORM_SHARDS)
    )
    credits = [
        Credit("task:u1", REWARD, EntryType.TASK, "task"),
        Credit(bonus_id, 5_000, EntryType.TASK_BONUS, "bonus"),
    ]
    writes = Transaction()
    ledger.credits_with(writes, user_id="u1", credits=credits)
    # When they commit
    assert writes.commit() == frozenset()
    # Then the entries read as two credits in order, at the one version their transaction produced
    reward, bonus = stored_entry("task:u1"), stored_entry(bonus_id)
    assert (reward.balance_after, bonus.balance_after) == (1_700, 6_700)
    assert reward.wallet_version == bonus.wallet_version == 3
    wallet = ledger.get_wallet("u1")
    assert (wallet.balance, wallet.available, wallet.total_earned) == (6_700, 6_700, 6_700)
    assert shard_balance("task:u1") == -(REWARD + 5_000)
    clock.advance(DAY)
    report = reconcile()
    assert report.ok and report.platform_balances == {"REWARDS_POOL": -(2_000 + REWARD + 5_000)}


@pytest.mark.parametrize("amount", [0, -5])
def test_a_composed_credit_must_be_positive(ledger: Ledger, amount: Any) -> None:
    with pytest.raises(InvalidAmount):
        ledger.credit_with(
            Transaction(),
            entry_id="x",
            user_id="u1",
            amount=amount,
            entry_type=EntryType.TASK,
            description="x",
        )


def test_a_composed_credit_needs_the_wallet(ledger: Ledger) -> None:
    with pytest.raises(WalletNotFound):
        reward_with(ledger, Transaction(), "task:ghost", "ghost")
