"""The withdrawal journey over HTTP against the local runtime (issue 12's Must-show): a user uploads a PAN
through the presigned POST and submits it (PENDING), is refused a withdrawal until the provider verifies
it, an admin adjustment funds the wallet, a withdrawal is held, paid (one WITHDRAWAL entry; the admin reads
its full destination first, gone once paid) or rejected (the hold released), and the ledger reconciles."""

from __future__ import annotations

import os

import boto3
import httpx

from tests.e2e.conftest import Runtime, registered_user
from tests.e2e.kyc_steps import bearer, provider_decides, uploaded_and_submitted_pan
from tests.e2e.test_event_sources import DAY_AND_AN_HOUR
from tests.support.cognito import PASSWORD, app_client_secret_hash, signed_in_user

UPI = {"type": "UPI", "upi_id": "dev.k@okaxis"}


def admin_token(runtime: Runtime, email: str) -> str:
    """A member of the `admin` group, signed in after joining it (so its token names the group)."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=runtime.aws_endpoint)
    signed_in_user(email, endpoint_url=runtime.aws_endpoint)
    cognito.admin_add_user_to_group(UserPoolId=os.environ["USER_POOL_ID"], Username=email, GroupName="admin")
    tokens = cognito.initiate_auth(
        ClientId=os.environ["USER_POOL_CLIENT_ID"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": email,
            "PASSWORD": PASSWORD,
            "SECRET_HASH": app_client_secret_hash(email, runtime.aws_endpoint),
        },
    )["AuthenticationResult"]
    return str(tokens["AccessToken"])


def test_withdrawal_journey_hold_paid_rejected_and_reconciled(runtime: Runtime, api: httpx.Client) -> None:
    # Given Dev, registered (1,000 sign-up bonus), who uploads his PAN and submits it, and an admin
    dev_token = registered_user(api, "dev.withdraws@example.com")
    dev = bearer(dev_token)
    kyc_id = uploaded_and_submitted_pan(api, dev_token, "BNZPD4321K")
    assert api.get("/v1/kyc", headers=dev).json()["status"] == "PENDING"
    admin = bearer(admin_token(runtime, "review.admin@example.com"))
    dev_id = api.get("/v1/me", headers=dev).json()["id"]
    # Then, pending, he cannot withdraw, nor can he use admin routes
    refused = api.post("/v1/wallet/withdrawals", json={"amount": 100_000, "destination": UPI}, headers=dev)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "kyc_required")
    assert api.get("/v1/admin/withdrawals", headers=dev).status_code == 403
    # When the provider verifies his PAN
    provider_decides(api, kyc_id, "VERIFIED")
    assert api.get("/v1/kyc", headers=dev).json()["status"] == "VERIFIED"
    # and the admin funds his wallet with an adjustment
    funded = api.post(
        f"/v1/admin/users/{dev_id}/adjustments",
        json={"amount": 300_000, "reason": "Launch credit"},
        headers=admin,
    )
    assert (funded.status_code, funded.json()["balance_after"]) == (201, 301_000)
    # When he asks for 100,000 (sent twice with one Idempotency-Key)
    keyed = {**dev, "Idempotency-Key": "dev-payout-0001"}
    first = api.post("/v1/wallet/withdrawals", json={"amount": 100_000, "destination": UPI}, headers=keyed)
    again = api.post("/v1/wallet/withdrawals", json={"amount": 100_000, "destination": UPI}, headers=keyed)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    # Then it is held: available drops, the balance does not
    wallet = api.get("/v1/wallet", headers=dev).json()
    assert (wallet["balance"], wallet["available"]) == (301_000, 201_000)
    # When the admin approves it, reads where to pay it (Dev may not), and marks it paid
    paid_id = first.json()["id"]
    destination = f"/v1/admin/withdrawals/{paid_id}/destination"
    assert api.post(f"/v1/admin/withdrawals/{paid_id}/approve", headers=admin).json()["status"] == "APPROVED"
    assert api.get(destination, headers=admin).json() == {**UPI, "account_number": None, "ifsc": None}
    assert api.get(destination, headers=dev).status_code == 403
    assert api.post(f"/v1/admin/withdrawals/{paid_id}/paid", headers=admin).json()["status"] == "PAID"
    # Then the full destination is no longer kept
    erased = api.get(destination, headers=admin)
    assert (erased.status_code, erased.json()["error"]["code"]) == (409, "destination_erased")
    # And one WITHDRAWAL entry took it, and nothing is held
    wallet = api.get("/v1/wallet", headers=dev).json()
    assert (wallet["balance"], wallet["available"]) == (201_000, 201_000)
    entries = api.get("/v1/wallet/transactions", headers=dev).json()["items"]
    assert [(e["type"], e["amount"]) for e in entries if e["type"] == "WITHDRAWAL"] == [
        ("WITHDRAWAL", -100_000)
    ]
    # When he asks for 50,000 more and the admin rejects it
    second = api.post(
        "/v1/wallet/withdrawals", json={"amount": 50_000, "destination": UPI}, headers=dev
    ).json()
    assert api.get("/v1/wallet", headers=dev).json()["available"] == 151_000
    rejected = api.post(
        f"/v1/admin/withdrawals/{second['id']}/reject", json={"reason": "Name mismatch"}, headers=admin
    )
    # Then the hold is released, his list shows both, and the ledger reconciles
    assert rejected.json()["status"] == "REJECTED"
    assert api.get("/v1/wallet", headers=dev).json()["available"] == 201_000
    mine = api.get("/v1/wallet/withdrawals", headers=dev).json()["items"]
    assert [(w["id"], w["status"]) for w in mine] == [(second["id"], "REJECTED"), (paid_id, "PAID")]
    assert api.get(f"/v1/wallet/withdrawals/{paid_id}", headers=dev).json() == mine[1]
    others = api.get(f"/v1/wallet/withdrawals/{paid_id}", headers=admin)
    assert (others.status_code, others.json()["error"]["code"]) == (404, "withdrawal_not_found")
    moved = api.post("/_local/clock", json={"advance_seconds": DAY_AND_AN_HOUR}).json()
    assert "ledger-reconcile" in moved["ran"]
    schedules = {s["name"]: s for s in api.get("/_local/schedules").json()["items"]}
    assert schedules["ledger-reconcile"]["last_run"]["result"]["ok"]
