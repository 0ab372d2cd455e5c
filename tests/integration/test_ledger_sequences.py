"""Generated sequences of ledger calls (hypothesis stateful, against moto): credits, debits, holds, partial
captures, releases and replays — with the same payload and with a different one — while a share of the
transactions fail before they are sent or lose their answer after they committed, and the caller retries.

After every step: available >= 0, each wallet == Σ its entries, held == Σ what its open holds reserve,
Σ all accounts == 0, every call's outcome is the one a plain model predicts, and no id moved money twice.

CI runs a modest budget; `make soak` runs the long one (LEDGER_SEQUENCE_PROFILE=soak) and prints figures.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from infra_cdk.wiring import LEDGER
from local_runtime.resources import REGION, create_table
from tests.support.ledger_faults import InjectedFailures, LostConnection, transactions_fail_randomly
from twtc_core import errors
from twtc_core.ledger import (
    EntryType,
    HoldClosed,
    IdempotencyMismatch,
    InsufficientFunds,
    Ledger,
    PlatformAccount,
)
from twtc_core.ledger.service import CaptureExceedsHold
from twtc_core.ledger.store import EntryFact, LedgerStore, ShardBalance

USERS = ("ana", "ben", "cai")
FAILURE_RATE = 0.15
# A caller that keeps getting no answer retries with the same id; this many tries is beyond any run's luck.
MAX_CALLER_TRIES = 25

PROFILES = {
    "ci": settings(max_examples=20, stateful_step_count=40),
    "soak": settings(max_examples=400, stateful_step_count=50),
}
PROFILE = os.environ.get("LEDGER_SEQUENCE_PROFILE", "ci")

amounts = st.integers(min_value=1, max_value=5_000)


@dataclass
class Figures:
    operations: Counter[str] = field(default_factory=Counter)
    failed_before_send: int = 0
    lost_after_commit: int = 0

    def add(self, injected: InjectedFailures) -> None:
        self.failed_before_send += injected.failed_before_send
        self.lost_after_commit += injected.lost_after_commit


FIGURES = Figures()


@dataclass
class ModelHold:
    user_id: str
    amount: int
    captured: int = 0
    released: int = 0

    @property
    def remaining(self) -> int:
        return self.amount - self.captured - self.released

    @property
    def open(self) -> bool:
        return self.remaining > 0


@dataclass(frozen=True)
class Call:
    """One ledger call as the caller would send it again: method name and its keyword arguments."""

    method: str
    kwargs: dict[str, Any]

    def with_other_payload(self) -> Call:
        """The same id for something else: another amount, or (for a hold) another user."""
        if self.method == "hold" and self.kwargs["amount"] % 2:
            other_user = USERS[(USERS.index(self.kwargs["user_id"]) + 1) % len(USERS)]
            return Call(self.method, {**self.kwargs, "user_id": other_user})
        return Call(self.method, {**self.kwargs, "amount": self.kwargs["amount"] + 1})


def fresh_ledger_table() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    dynamodb.delete_table(TableName=LEDGER.physical_name)
    create_table(dynamodb, LEDGER)


class LedgerSequences(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        fresh_ledger_table()
        self.store = LedgerStore()
        self.ledger = Ledger(self.store)
        self.balance = dict.fromkeys(USERS, 0)
        self.holds: dict[str, ModelHold] = {}
        self.done: dict[str, Call] = {}  # every id that moved money, with the call that did it
        self.entry_ids: set[str] = set()
        self.next_id = 0
        self.faults = ExitStack()
        self.injected = InjectedFailures()

    def teardown(self) -> None:
        self.faults.close()
        FIGURES.add(self.injected)

    # --- helpers -------------------------------------------------------------------------------
    def new_id(self, kind: str) -> str:
        self.next_id += 1
        return f"{kind}:{self.next_id}"

    def held(self, user_id: str) -> int:
        return sum(hold.remaining for hold in self.holds.values() if hold.user_id == user_id)

    def available(self, user_id: str) -> int:
        return self.balance[user_id] - self.held(user_id)

    def send(self, call: Call) -> Any:
        """Call the ledger as a client would: on no answer, send the very same call again."""
        FIGURES.operations[call.method] += 1
        for _ in range(MAX_CALLER_TRIES):
            try:
                return getattr(self.ledger, call.method)(**call.kwargs)
            except LostConnection:
                continue
        raise AssertionError(f"no answer after {MAX_CALLER_TRIES} tries: {call}")

    def expect_refusal(self, call: Call, refusal: type[errors.DomainError]) -> None:
        with pytest.raises(refusal):
            self.send(call)

    def moved(self, entry_id: str, call: Call, result: Any, signed_amount: int, user_id: str) -> None:
        assert result.amount == signed_amount and result.user_id == user_id
        self.balance[user_id] += signed_amount
        self.done[entry_id] = call
        self.entry_ids.add(entry_id)

    # --- rules ---------------------------------------------------------------------------------
    @initialize(seed=st.integers(min_value=0, max_value=2**32 - 1))
    def open_wallets_with_flaky_transactions(self, seed: int) -> None:
        for user_id in USERS:
            self.ledger.open_wallet(user_id)
        self.injected = self.faults.enter_context(transactions_fail_randomly(FAILURE_RATE, seed))

    @rule(user_id=st.sampled_from(USERS), amount=amounts)
    def credit(self, user_id: str, amount: int) -> None:
        entry_id = self.new_id("credit")
        call = Call(
            "credit",
            {
                "entry_id": entry_id,
                "user_id": user_id,
                "amount": amount,
                "entry_type": EntryType.TASK,
                "description": "task",
            },
        )
        self.moved(entry_id, call, self.send(call), amount, user_id)

    @rule(user_id=st.sampled_from(USERS), amount=amounts)
    def debit(self, user_id: str, amount: int) -> None:
        entry_id = self.new_id("debit")
        call = Call(
            "debit",
            {
                "entry_id": entry_id,
                "user_id": user_id,
                "amount": amount,
                "entry_type": EntryType.CALL_CHARGE,
                "description": "call",
                "destination": PlatformAccount.CALL_REVENUE,
            },
        )
        if amount > self.available(user_id):
            self.expect_refusal(call, InsufficientFunds)
        else:
            self.moved(entry_id, call, self.send(call), -amount, user_id)

    @rule(user_id=st.sampled_from(USERS), amount=amounts)
    def hold(self, user_id: str, amount: int) -> None:
        hold_id = self.new_id("hold")
        call = Call(
            "hold",
            {"hold_id": hold_id, "user_id": user_id, "amount": amount, "purpose": EntryType.CALL_CHARGE},
        )
        if amount > self.available(user_id):
            self.expect_refusal(call, InsufficientFunds)
            return
        placed = self.send(call)
        assert (placed.user_id, placed.amount, placed.remaining) == (user_id, amount, amount)
        self.holds[hold_id] = ModelHold(user_id, amount)
        self.done[hold_id] = call

    @rule(data=st.data(), amount=amounts)
    def capture(self, data: st.DataObject, amount: int) -> None:
        if not self.holds:
            return
        hold_id = data.draw(st.sampled_from(sorted(self.holds)))
        hold = self.holds[hold_id]
        amount = data.draw(st.sampled_from([amount, max(1, hold.remaining // 2), max(1, hold.remaining)]))
        entry_id = self.new_id("capture")
        call = Call(
            "capture",
            {
                "hold_id": hold_id,
                "user_id": hold.user_id,
                "entry_id": entry_id,
                "amount": amount,
                "entry_type": EntryType.CALL_CHARGE,
                "description": "minute",
                "destination": PlatformAccount.CALL_REVENUE,
            },
        )
        if not hold.open:
            self.expect_refusal(call, HoldClosed)
        elif amount > hold.remaining:
            self.expect_refusal(call, CaptureExceedsHold)
        else:
            self.moved(entry_id, call, self.send(call), -amount, hold.user_id)
            hold.captured += amount

    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        if not self.holds:
            return
        hold_id = data.draw(st.sampled_from(sorted(self.holds)))
        hold = self.holds[hold_id]
        released = self.send(Call("release", {"hold_id": hold_id, "user_id": hold.user_id}))
        hold.released += hold.remaining
        assert (released.remaining, released.captured, released.released) == (0, hold.captured, hold.released)

    @rule(data=st.data())
    def replay_the_same_call(self, data: st.DataObject) -> None:
        """A duplicate delivery: answered with the first result, nothing moves."""
        if not self.done:
            return
        first = self.done[data.draw(st.sampled_from(sorted(self.done)))]
        answer = self.send(first)
        assert answer.user_id == first.kwargs.get("user_id", answer.user_id)

    @rule(data=st.data())
    def reuse_an_id_for_another_payload(self, data: st.DataObject) -> None:
        """A caller's defect: the id of one movement sent with another payload is refused, nothing moves."""
        if not self.done:
            return
        first = self.done[data.draw(st.sampled_from(sorted(self.done)))]
        self.expect_refusal(first.with_other_payload(), IdempotencyMismatch)

    # --- invariants ----------------------------------------------------------------------------
    @invariant()
    def the_ledger_adds_up_and_no_id_moved_money_twice(self) -> None:
        facts = list(self.store.scan_entries_and_shards(0, 1))
        entries = [fact for fact in facts if isinstance(fact, EntryFact)]
        written = [entry.entry_id for entry in entries]
        assert len(written) == len(set(written)) and set(written) == self.entry_ids
        wallet_total = 0
        for user_id in USERS:
            wallet = self.ledger.get_wallet(user_id)
            assert wallet.available >= 0
            assert (wallet.balance, wallet.held) == (self.balance[user_id], self.held(user_id))
            assert wallet.balance == sum(entry.amount for entry in entries if entry.user_id == user_id)
            open_holds = frozenset(
                hold_id for hold_id, hold in self.holds.items() if hold.user_id == user_id and hold.open
            )
            assert sum(self.store.snapshot_holds(user_id, open_holds).reserved.values()) == wallet.held
            wallet_total += wallet.balance
        platform_total = sum(fact.balance for fact in facts if isinstance(fact, ShardBalance))
        assert wallet_total + platform_total == 0


def test_generated_sequences_keep_the_ledger_consistent(aws: dict[str, str]) -> None:
    FIGURES.__init__()  # type: ignore[misc]
    started = time.perf_counter()
    run_state_machine_as_test(
        LedgerSequences,
        settings=settings(
            PROFILES[PROFILE],
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    elapsed = time.perf_counter() - started
    total = FIGURES.operations.total()
    assert total > 0
    if PROFILE == "soak":
        print(
            f"\nledger sequences: {total} operations in {elapsed:.0f} s, by kind {dict(FIGURES.operations)};"
            f" injected {FIGURES.failed_before_send} failures before sending,"
            f" {FIGURES.lost_after_commit} answers lost after commit"
        )
