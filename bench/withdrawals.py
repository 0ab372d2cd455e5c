"""Issue 12 (withdrawals half): AWS calls per withdrawal request, review step, destination read and
adjustment, through the real handlers and event shapes (the caller's session check is cached after its
first request)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.counting import counting
from tests.support.withdrawals import a_user, adjust, payout_destination, review, withdraw

USER = "bench-withdrawer"
KEY = "bench-key-0001"
# What each step needs at most: the reads its rules need, then its one write (or transaction).
GOALS = {
    "POST /v1/wallet/withdrawals (profile, wallet, KMS Encrypt, 1 transaction)": "≤ 5",
    "POST /v1/wallet/withdrawals replayed (same Idempotency-Key)": "≤ 2",
    "POST /v1/admin/withdrawals/{id}/approve": "≤ 5",
    "GET /v1/admin/withdrawals/{id}/destination (KMS Decrypt, audit)": "≤ 4",
    "POST /v1/admin/withdrawals/{id}/paid (capture)": "≤ 7",
    "POST /v1/admin/withdrawals/{id}/reject (release)": "≤ 7",
    "POST /v1/admin/users/{id}/adjustments": "≤ 6",
}


def withdrawal_calls() -> list[tuple[str, int, str, str]]:
    a_user(USER, 1_000_000)
    withdraw(USER, 50_000)  # the first request of the user and the admin: session checks are then cached
    review(withdraw(USER, 50_000)[1]["id"], "approve")
    to_reject = withdraw(USER, 70_000)[1]["id"]
    created: dict[str, Any] = {}

    def request() -> None:
        created.update(withdraw(USER, 60_000, key=KEY)[1])

    steps: list[tuple[str, Callable[[], Any]]] = [
        ("POST /v1/wallet/withdrawals (profile, wallet, KMS Encrypt, 1 transaction)", request),
        (
            "POST /v1/wallet/withdrawals replayed (same Idempotency-Key)",
            lambda: withdraw(USER, 60_000, key=KEY),
        ),
        ("POST /v1/admin/withdrawals/{id}/approve", lambda: review(created["id"], "approve")),
        (
            "GET /v1/admin/withdrawals/{id}/destination (KMS Decrypt, audit)",
            lambda: payout_destination(created["id"]),
        ),
        ("POST /v1/admin/withdrawals/{id}/paid (capture)", lambda: review(created["id"], "paid")),
        (
            "POST /v1/admin/withdrawals/{id}/reject (release)",
            lambda: review(to_reject, "reject", {"reason": "bench"}),
        ),
        ("POST /v1/admin/users/{id}/adjustments", lambda: adjust(USER, 1_000)),
    ]
    rows = []
    for name, step in steps:
        with counting() as calls:
            step()
        which = ", ".join(f"{call} x{count}" for call, count in sorted(calls.items()))
        rows.append((name, calls.total(), which, GOALS[name]))
    return rows
