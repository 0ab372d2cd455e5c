"""Generated sequences of withdrawals, reviews (approve, reject, paid) and adjustments (hypothesis stateful,
against moto), each answered as a plain model predicts; after every step each wallet's balance is the sum
of its entries and what the model says, `held` is what its open withdrawals reserve, and available >= 0."""

from __future__ import annotations

from dataclasses import dataclass

import boto3
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from functions.admin_wallets import handler as admin_function
from functions.admin_wallets import logic as admin
from functions.withdrawals import handler as withdrawals_function
from functions.withdrawals import logic
from functions.withdrawals.models import WithdrawalIn
from infra_cdk.wiring import LEDGER, SECURITY, WITHDRAWALS
from local_runtime.resources import REGION, create_table
from tests.support.withdrawals import ADMIN, a_user
from twtc_core.admin import Actor
from twtc_core.errors import DomainError
from twtc_core.ledger import Ledger
from twtc_core.ledger.store import LedgerStore
from twtc_core.security import RequestOrigin
from twtc_core.withdrawals.models import TRANSITIONS, WithdrawalStatus

USERS = ("ana", "ben")
OPEN = (WithdrawalStatus.REQUESTED, WithdrawalStatus.APPROVED)
ADMIN_ACTOR = Actor(ADMIN, frozenset({"admin"}))
# Only the balance is under test here: the day and hour limits have their own tests.
LIMITS = logic.WithdrawalLimits(minimum=50_000, daily_limit=10**12, transactions_per_hour=10**6)
SERVICES = logic.WithdrawalServices(**{**withdrawals_function.services.__dict__, "limits": LIMITS})


@dataclass
class ModelWithdrawal:
    user_id: str
    amount: int
    status: WithdrawalStatus


def fresh_tables() -> None:
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for spec in (LEDGER, WITHDRAWALS, SECURITY):
        dynamodb.delete_table(TableName=spec.physical_name)
        create_table(dynamodb, spec)


class WithdrawalSequences(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        fresh_tables()
        for user in USERS:
            a_user(user, 0)
        self.balance = dict.fromkeys(USERS, 0)
        self.withdrawals: dict[str, ModelWithdrawal] = {}

    def held(self, user_id: str) -> int:
        return sum(w.amount for w in self.withdrawals.values() if w.user_id == user_id and w.status in OPEN)

    def available(self, user_id: str) -> int:
        return self.balance[user_id] - self.held(user_id)

    @rule(user=st.sampled_from(USERS), amount=st.integers(50_000, 150_000))
    def withdraw(self, user: str, amount: int) -> None:
        body = WithdrawalIn.model_validate(
            {"amount": amount, "destination": {"type": "UPI", "upi_id": "ana@okaxis"}}
        )
        try:
            created = logic.request_withdrawal(SERVICES, user, body, None, RequestOrigin())
        except DomainError as error:
            assert (error.code, amount > self.available(user)) == ("insufficient_funds", True)
            return
        assert amount <= self.available(user)
        self.withdrawals[created.id] = ModelWithdrawal(user, amount, WithdrawalStatus.REQUESTED)

    @rule(
        pick=st.integers(0, 50),
        to=st.sampled_from([WithdrawalStatus.APPROVED, WithdrawalStatus.REJECTED, WithdrawalStatus.PAID]),
    )
    def review(self, pick: int, to: WithdrawalStatus) -> None:
        if not self.withdrawals:
            return
        withdrawal_id = sorted(self.withdrawals)[pick % len(self.withdrawals)]
        model = self.withdrawals[withdrawal_id]
        reason = "sequence" if to is WithdrawalStatus.REJECTED else None
        try:
            answer = admin.review(
                admin_function.services,
                ADMIN_ACTOR,
                withdrawal_id,
                to=to,
                reason=reason,
                origin=RequestOrigin(),
            )
        except DomainError as error:
            assert model.status is not to and model.status not in TRANSITIONS[to], error.code
            return
        assert model.status is to or model.status in TRANSITIONS[to]
        if to is WithdrawalStatus.PAID and model.status is not to:
            self.balance[model.user_id] -= model.amount
        model.status = answer.status

    @rule(user=st.sampled_from(USERS), amount=st.integers(-100_000, 300_000).filter(bool))
    def adjust(self, user: str, amount: int) -> None:
        try:
            admin.adjust(
                admin_function.services,
                ADMIN_ACTOR,
                user,
                amount=amount,
                reason="sequence",
                idempotency_key=None,
                origin=RequestOrigin(),
            )
        except DomainError as error:
            assert (error.code, -amount > self.available(user)) == ("insufficient_funds", True)
            return
        self.balance[user] += amount

    @invariant()
    def wallets_match_entries_and_the_model(self) -> None:
        store = LedgerStore()
        for user in USERS:
            wallet = Ledger().get_wallet(user)
            assert wallet.balance == self.balance[user] == store.entries_sum(user, through_version=10**9)
            assert wallet.held == self.held(user)
            assert wallet.available >= 0


def test_generated_withdrawal_sequences_keep_wallets_consistent(aws: dict[str, str]) -> None:
    run_state_machine_as_test(
        WithdrawalSequences,
        settings=settings(
            max_examples=5,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
