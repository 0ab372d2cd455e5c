"""Withdrawals through the real handlers (moto): a verified user's request places a WITHDRAWAL_HOLD, an admin
pays (capture) or rejects (release) it; limits, Idempotency-Key, ownership, admin-only routes, the audit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from functions.withdrawals import handler as withdrawals_function
from functions.withdrawals import logic
from functions.withdrawals.models import WithdrawalIn
from tests.support.kyc_status import set_kyc_status
from tests.support.withdrawals import (
    ADMIN,
    a_user,
    adjust,
    my_withdrawal,
    my_withdrawals,
    plain_claims,
    queue,
    review,
    withdraw,
)
from twtc_core.clock import utc_day
from twtc_core.errors import DomainError
from twtc_core.ledger import EntryType, Ledger, PlatformAccount
from twtc_core.ledger.reconcile import reconcile
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore
from twtc_core.withdrawals.store import WithdrawalStore

pytestmark = pytest.mark.usefixtures("aws")
ASHA, BALA = "asha-0001", "bala-0002"
PLAIN_USER_CLAIMS = {"cognito:groups": ""}


def error_of(response: tuple[int, Any]) -> tuple[int, str]:
    status, body = response
    return int(status), body["error"]["code"]


def available(user_id: str) -> int:
    return Ledger().get_wallet(user_id).available


def test_a_verified_users_withdrawal_is_held_then_paid_as_one_withdrawal_entry() -> None:
    # Given Asha, verified, with 200,000 coins
    a_user(ASHA, 200_000)
    # When she asks to withdraw 60,000 to her UPI id
    status, created = withdraw(ASHA, 60_000)
    # Then it is requested, shown masked, and held: available drops, the balance does not
    assert status == 201
    assert set(created) == {"id", "status", "amount", "destination_masked", "created_at"}
    assert (created["status"], created["amount"], created["destination_masked"]) == (
        "REQUESTED",
        60_000,
        "as***@okaxis",
    )
    wallet = Ledger().get_wallet(ASHA)
    assert (wallet.balance, wallet.held, wallet.available) == (200_000, 60_000, 140_000)
    assert "asha.k" not in str(WithdrawalStore().get(created["id"]))
    assert my_withdrawals(ASHA)[1]["items"] == [created]
    # And she can read it by id; to anyone else it, like an unknown id, does not exist
    assert my_withdrawal(ASHA, created["id"]) == (200, created)
    assert error_of(my_withdrawal(BALA, created["id"])) == (404, "withdrawal_not_found")
    assert error_of(my_withdrawal(ASHA, "0" * 32)) == (404, "withdrawal_not_found")
    # When an admin approves it, then marks it paid (twice: a retried click)
    assert review(created["id"], "approve")[1]["status"] == "APPROVED"
    assert review(created["id"], "paid")[1]["status"] == "PAID"
    assert review(created["id"], "paid")[1]["status"] == "PAID"
    # Then one WITHDRAWAL entry took the hold to the withdrawals account; nothing is held; all reconciles
    withdrawals = [e for e in Ledger().history(ASHA, 100, None).items if e.type is EntryType.WITHDRAWAL]
    assert [(e.id, e.amount, e.platform_account) for e in withdrawals] == [
        (f"withdrawal:{created['id']}", -60_000, PlatformAccount.WITHDRAWALS)
    ]
    wallet = Ledger().get_wallet(ASHA)
    assert (wallet.balance, wallet.held) == (140_000, 0)
    assert reconcile().ok
    # And a paid withdrawal can no longer be rejected or approved
    assert error_of(review(created["id"], "reject", {"reason": "too late"})) == (
        409,
        "withdrawal_not_pending",
    )
    assert error_of(review(created["id"], "approve")) == (409, "withdrawal_not_requested")


def test_a_rejected_withdrawal_releases_its_hold_and_is_audited() -> None:
    # Given Asha's requested withdrawal
    a_user(ASHA, 200_000)
    withdrawal_id = withdraw(ASHA, 80_000)[1]["id"]
    # When an admin rejects it with a reason
    status, rejected = review(withdrawal_id, "reject", {"reason": "Name does not match KYC"})
    # Then the hold is released (available whole again, no entry written) and it cannot be paid
    assert (status, rejected["status"], rejected["reason"]) == (200, "REJECTED", "Name does not match KYC")
    assert available(ASHA) == 200_000
    assert Ledger().get_hold(f"withdrawal:{withdrawal_id}").released == 80_000
    assert error_of(review(withdrawal_id, "paid")) == (409, "withdrawal_not_approved")
    assert queue("REJECTED")[1]["items"][0]["id"] == withdrawal_id
    assert reconcile().ok
    # And the audit has who, what, target, before/after, reason, on the admin's record and on Asha's
    [audit] = [a for a in SecurityStore().activity_of(ADMIN) if a.action == "admin_withdrawal_rejected"]
    assert (audit.resource, audit.details) == (
        f"withdrawal:{withdrawal_id}",
        {"before": "REQUESTED", "after": "REJECTED", "reason": "Name does not match KYC", "user_id": ASHA},
    )
    assert [a.details["by"] for a in SecurityStore().activity_of(ASHA) if a.action.startswith("admin_")] == [
        ADMIN
    ]


def test_refusals_kyc_minimum_funds_destination() -> None:
    # Given Bala, not verified, and Asha, verified with 60,000
    a_user(BALA, 500_000, kyc_status="PENDING")
    a_user(ASHA, 60_000)
    # Then each refusal has its code, and nothing is held
    assert error_of(withdraw(BALA, 50_000)) == (403, "kyc_required")
    assert error_of(withdraw(ASHA, 49_999)) == (422, "amount_below_minimum")
    assert error_of(withdraw(ASHA, 60_001)) == (409, "insufficient_funds")
    bad_ifsc = {"type": "BANK", "account_number": "123456786789", "ifsc": "HDFC1001234"}
    assert error_of(withdraw(ASHA, 50_000, destination=bad_ifsc)) == (422, "invalid_destination")
    assert error_of(withdraw(ASHA, 50_000, destination={"type": "UPI", "upi_id": "no-at-sign"})) == (
        422,
        "invalid_destination",
    )
    assert available(ASHA) == 60_000 and available(BALA) == 500_000
    # And a bank account is accepted and stored masked
    good = {"type": "BANK", "account_number": "123456786789", "ifsc": "HDFC0001234"}
    assert withdraw(ASHA, 50_000, destination=good)[1]["destination_masked"] == "****6789 HDFC0001234"


def test_the_daily_limit_counts_the_utc_day(clock: Any) -> None:
    # Given Asha with plenty of coins
    a_user(ASHA, 5_000_000)
    # When she asks 300,000 then 200,000 (the 500,000 limit), then 50,000 more
    assert withdraw(ASHA, 300_000)[0] == withdraw(ASHA, 200_000)[0] == 201
    assert error_of(withdraw(ASHA, 50_000)) == (409, "daily_withdrawal_limit")
    # Then the next UTC day she may again, up to the limit
    clock.advance(15 * 3600)  # 09:00 -> 00:00 the next day
    assert withdraw(ASHA, 500_000)[0] == 201
    assert error_of(withdraw(ASHA, 50_000)) == (409, "daily_withdrawal_limit")
    assert Ledger().get_wallet(ASHA).held == 1_000_000


def request(
    user_id: str, amount: int, key: str | None = None, limits: logic.WithdrawalLimits | None = None
) -> Any:
    """The logic itself, as the handler calls it (the resolver keeps one request at a time: threads call
    this instead)."""
    services = withdrawals_function.services
    if limits is not None:
        services = logic.WithdrawalServices(**{**services.__dict__, "limits": limits})
    body = WithdrawalIn.model_validate(
        {"amount": amount, "destination": {"type": "UPI", "upi_id": "asha@okaxis"}}
    )
    return logic.request_withdrawal(services, user_id, body, key, RequestOrigin())


def outcome(call: Any) -> str:
    try:
        return call().status.value
    except DomainError as error:
        return error.code


def test_ten_wallet_transactions_an_hour(clock: Any) -> None:
    # Given a day limit that does not get in the way
    limits = logic.WithdrawalLimits(minimum=50_000, daily_limit=10**9, transactions_per_hour=10)
    a_user(ASHA, 5_000_000)
    # When Asha asks eleven times in one hour
    outcomes = [outcome(lambda: request(ASHA, 50_000, limits=limits)) for _ in range(11)]
    # Then the eleventh is refused, and an hour later she may again
    assert outcomes == ["REQUESTED"] * 10 + ["rate_limited"]
    clock.advance(3600)
    assert outcome(lambda: request(ASHA, 50_000, limits=limits)) == "REQUESTED"


def test_the_same_idempotency_key_answers_the_first_response(clock: Any) -> None:
    # Given Asha's withdrawal sent with a key, at an instant finer than the millisecond stored
    a_user(ASHA, 200_000)
    clock.advance(1.234567)
    first = withdraw(ASHA, 60_000, key="3f0c8d2e-0001")
    # When the same request is sent again, even after an admin approved it
    review(first[1]["id"], "approve")
    again = withdraw(ASHA, 60_000, key="3f0c8d2e-0001")
    # Then it gets the first response, and one hold, counted once in the day's stats
    assert again == first and first[0] == 201
    assert Ledger().get_wallet(ASHA).held == 60_000
    assert StatsStore().live(utc_day()).get(Metric.WITHDRAWALS) == 1
    # And another body under that key is refused; Bala's same key is his own
    assert error_of(withdraw(ASHA, 70_000, key="3f0c8d2e-0001")) == (409, "idempotency_mismatch")
    a_user(BALA, 100_000)
    assert withdraw(BALA, 60_000, key="3f0c8d2e-0001")[1]["id"] != first[1]["id"]


def test_five_parallel_sends_of_one_key_make_one_withdrawal() -> None:
    # Given only enough for one: a send that reads the wallet after the first held it still gets its answer
    a_user(ASHA, 100_000)
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _: request(ASHA, 60_000, key="parallel-key"), range(5)))
    assert len({answer.model_dump_json() for answer in answers}) == 1
    assert len(my_withdrawals(ASHA)[1]["items"]) == 1
    assert Ledger().get_wallet(ASHA).held == 60_000


def test_ten_parallel_withdrawals_beyond_the_balance_only_those_that_fit_succeed() -> None:
    # Given 300,000 coins and ten parallel requests of 60,000 (600,000 in all)
    a_user(ASHA, 300_000)
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(lambda _: outcome(lambda: request(ASHA, 60_000)), range(10)))
    # Then exactly five fit, the rest are insufficient funds, and nothing went below zero
    assert sorted(outcomes) == ["REQUESTED"] * 5 + ["insufficient_funds"] * 5
    wallet = Ledger().get_wallet(ASHA)
    assert (wallet.held, wallet.available) == (300_000, 0)
    assert reconcile().ok


def test_only_my_withdrawals_and_only_admins_review_or_adjust() -> None:
    # Given Asha's withdrawal, and Bala, a plain user
    a_user(ASHA, 200_000)
    a_user(BALA, 0)
    withdrawal_id = withdraw(ASHA, 60_000)[1]["id"]
    bala = plain_claims(BALA)
    # Then Bala lists none of it, and can neither review it, see the queue, nor adjust a wallet
    assert my_withdrawals(BALA)[1] == {"items": [], "next_cursor": None}
    for action, body in (("approve", None), ("reject", {"reason": "mine now"}), ("paid", None)):
        assert error_of(review(withdrawal_id, action, body, caller=None, claims=bala)) == (403, "forbidden")
    assert error_of(queue("REQUESTED", caller=None, claims=bala)) == (403, "forbidden")
    assert error_of(adjust(BALA, 1_000_000, caller=None, claims=bala)) == (403, "forbidden")
    assert Ledger().get_wallet(BALA).balance == 0
    # And an unknown withdrawal is 404 to an admin
    assert error_of(review("no-such-withdrawal", "approve")) == (404, "withdrawal_not_found")


def test_adjustments_credit_and_debit_the_adjustments_account_and_are_audited() -> None:
    # Given Asha with 10,000
    a_user(ASHA, 10_000)
    # When an admin credits 100,000 (sent twice with one key) and debits 5,000
    credited = adjust(ASHA, 100_000, "Goodwill for ticket 4812", key="ticket-4812")
    assert adjust(ASHA, 100_000, "Goodwill for ticket 4812", key="ticket-4812") == credited
    status, debited = adjust(ASHA, -5_000, "Duplicate task reward")
    # Then both are ADJUSTMENT entries against the adjustments account, with their reasons
    assert (credited[0], credited[1]["amount"], credited[1]["balance_after"]) == (201, 100_000, 110_000)
    assert (status, debited["amount"], debited["balance_after"]) == (201, -5_000, 105_000)
    entries = {e.id: e for e in Ledger().history(ASHA, 100, None).items}
    assert entries[credited[1]["id"]].type is EntryType.ADJUSTMENT
    assert credited[1]["id"].startswith("adjustment:")
    assert {entries[debited["id"]].platform_account, entries[credited[1]["id"]].platform_account} == {
        PlatformAccount.ADJUSTMENTS
    }
    assert reconcile().ok
    # And refusals: more than available, zero, another amount under the same key, an unknown user
    assert error_of(adjust(ASHA, -105_001)) == (409, "insufficient_funds")
    assert error_of(adjust(ASHA, 0)) == (422, "invalid_amount")
    assert error_of(adjust(ASHA, 7, key="ticket-4812")) == (409, "idempotency_mismatch")
    assert error_of(adjust("nobody-0000", 1_000)) == (404, "profile_not_found")
    [audit] = [a for a in SecurityStore().activity_of(ADMIN) if a.resource == debited["id"]]
    assert audit.details == {
        "before": 110_000,
        "after": 105_000,
        "reason": "Duplicate task reward",
        "user_id": ASHA,
    }


def test_a_kyc_status_change_is_what_the_next_request_sees() -> None:
    # Given Asha verified, then her verification withdrawn (e.g. a manual override)
    a_user(ASHA, 200_000)
    set_kyc_status(ASHA, "REJECTED")
    # Then she cannot withdraw
    assert error_of(withdraw(ASHA, 50_000)) == (403, "kyc_required")
