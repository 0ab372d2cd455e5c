"""Withdrawal and admin-wallet calls through the real handlers, with what tests do not vary."""

from __future__ import annotations

import os
from typing import Any

import boto3

from functions.admin_wallets.handler import lambda_handler as admin_handler
from functions.withdrawals.handler import lambda_handler as withdrawals_handler
from tests.support.accounts import call
from tests.support.events import event
from tests.support.kyc_status import set_kyc_status
from tests.support.ledger import credit
from twtc_core.ledger import Ledger

ADMIN = "6f1c9a2e-1111-4a5b-9c3d-000000000001"
UPI = {"type": "UPI", "upi_id": "asha.k@okaxis"}


def a_user(user_id: str, coins: int, kyc_status: str = "VERIFIED") -> None:
    """An active profile with this KYC status and a wallet holding `coins`."""
    set_kyc_status(user_id, kyc_status)
    ledger = Ledger()
    ledger.open_wallet(user_id)
    if coins:
        credit(ledger, f"task:{user_id}:funding", user_id, coins)


def withdraw(
    user_id: str, amount: int, key: str | None = None, destination: dict[str, str] | None = None
) -> tuple[int, Any]:
    status, body, _ = call(
        withdrawals_handler,
        "http_api_withdrawals_create",
        caller=user_id,
        body={"amount": amount, "destination": destination or UPI},
        headers={"idempotency-key": key} if key is not None else None,
    )
    return status, body


def my_withdrawals(user_id: str, query: dict[str, str] | None = None) -> tuple[int, Any]:
    status, body, _ = call(withdrawals_handler, "http_api_withdrawals_list", caller=user_id, query=query)
    return status, body


def my_withdrawal(user_id: str, withdrawal_id: str) -> tuple[int, Any]:
    path = f"/v1/wallet/withdrawals/{withdrawal_id}"
    status, body, _ = call(withdrawals_handler, "http_api_withdrawals_get", caller=user_id, path=path)
    return status, body


def review(
    withdrawal_id: str, action: str, body: Any = None, caller: str = ADMIN, **kwargs: Any
) -> tuple[int, Any]:
    path = f"/v1/admin/withdrawals/{withdrawal_id}/{action}"
    status, result, _ = call(
        admin_handler, "http_api_admin_withdrawals_review", caller=caller, path=path, body=body, **kwargs
    )
    return status, result


def queue(status_filter: str, caller: str | None = ADMIN, **kwargs: Any) -> tuple[int, Any]:
    status, body, _ = call(
        admin_handler,
        "http_api_admin_withdrawals_list",
        caller=caller,
        query={"status": status_filter},
        **kwargs,
    )
    return status, body


def adjust(
    user_id: str,
    amount: int,
    reason: str = "Goodwill credit",
    key: str | None = None,
    caller: str | None = ADMIN,
    **kwargs: Any,
) -> tuple[int, Any]:
    status, body, _ = call(
        admin_handler,
        "http_api_admin_users_adjustments",
        caller=caller,
        path=f"/v1/admin/users/{user_id}/adjustments",
        body={"amount": amount, "reason": reason},
        headers={"idempotency-key": key} if key else None,
        **kwargs,
    )
    return status, body


def plain_claims(user_id: str) -> dict[str, str]:
    """The access-token claims of `user_id`, a member of no group."""
    claims = dict(event("http_api_withdrawals_list")["requestContext"]["authorizer"]["jwt"]["claims"])
    return {**claims, "sub": user_id, "username": user_id}


def payout_destination(withdrawal_id: str, caller: str | None = ADMIN, **kwargs: Any) -> tuple[int, Any]:
    """GET /v1/admin/withdrawals/{id}/destination."""
    status, body, _ = call(
        admin_handler,
        "http_api_admin_withdrawals_destination",
        caller=caller,
        path=f"/v1/admin/withdrawals/{withdrawal_id}/destination",
        **kwargs,
    )
    return status, body


def stored_item(withdrawal_id: str) -> dict[str, Any]:
    """The withdrawal's item as DynamoDB holds it (attribute values, not the store's view)."""
    return dict(
        boto3.client("dynamodb", region_name=os.environ["AWS_REGION"]).get_item(
            TableName=os.environ["WITHDRAWALS_TABLE_NAME"],
            Key={"pk": {"S": f"WITHDRAWAL#{withdrawal_id}"}, "sk": {"S": "WITHDRAWAL"}},
            ConsistentRead=True,
        )["Item"]
    )
