"""Admin trust API: moderators and admins review fraud events (dismiss lowers the score), set alert levels
(only admins suspend), plain users are refused; a suspension locks the user out of every route."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest

from functions.admin_trust.handler import lambda_handler as admin_trust_handler
from local_runtime.outbox import Outbox
from tests.integration.test_sessions import logged_in, statuses_with
from tests.support import accounts
from tests.support.accounts import call
from tests.support.fraud import LONDON, MUMBAI, evaluator_stream, log_in_from
from twtc_core.accounts.sessions import SessionGate
from twtc_core.clock import Clock
from twtc_core.fraud.store import FraudStore


def member_of(cognito: Outbox, group: str) -> dict[str, str]:
    account = accounts.open_account(
        cognito, f"{group}@example.com", device_id=f"{group}-laptop-01", ip="192.0.2.1"
    )
    boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"]).admin_add_user_to_group(
        UserPoolId=os.environ["USER_POOL_ID"], Username=account.user_id, GroupName=group
    )
    return logged_in(account.username, account.device_id, ip="192.0.2.1")


def queue(claims: dict[str, str], **query: str) -> tuple[int, Any]:
    status, body, _ = call(
        admin_trust_handler, "http_api_admin_fraud_events", caller=None, claims=claims, query=query
    )
    return int(status), body


def resolve(claims: dict[str, str], event_id: str, action: str) -> tuple[int, Any]:
    status, body, _ = call(
        admin_trust_handler,
        "http_api_admin_fraud_resolve",
        caller=None,
        claims=claims,
        path=f"/v1/admin/fraud-events/{event_id}/resolve",
        body={"action": action, "note": "Checked with the user."},
    )
    return int(status), body


def set_level(claims: dict[str, str], user_id: str, level: int) -> tuple[int, Any]:
    status, body, _ = call(
        admin_trust_handler,
        "http_api_admin_alert_level",
        caller=None,
        claims=claims,
        path=f"/v1/admin/users/{user_id}/alert-level",
        body={"level": level, "note": "Ticket 4711."},
    )
    return int(status), body


def test_review_dismiss_and_levels(cognito: Outbox, clock: Clock) -> None:
    # Given an admin, a moderator, and a traveller flagged for impossible travel
    admin, moderator = member_of(cognito, "admin"), member_of(cognito, "moderator")
    traveller = accounts.open_account(cognito, "traveller@example.com")
    log_in_from(traveller, MUMBAI)
    clock.advance(600)
    user = accounts.claims_of(log_in_from(traveller, LONDON)["access_token"])
    evaluator_stream().drain()
    assert FraudStore().trust_of(traveller.user_id).score == 30
    # When the moderator reads the review queue (HIGH only); a plain user may not
    status, body = queue(moderator, status="OPEN", severity="HIGH")
    assert status == 200
    [event] = [item for item in body["items"] if item["user_id"] == traveller.user_id]
    assert event["type"] == "IMPOSSIBLE_TRAVEL"
    assert queue(user)[0] == 403
    # When the moderator dismisses it: the score drops, and it cannot be resolved twice
    status, body = resolve(moderator, event["event_id"], "dismiss")
    assert (status, body["status"], body["note"]) == (200, "DISMISSED", "Checked with the user.")
    assert FraudStore().trust_of(traveller.user_id).score == 0
    assert resolve(admin, event["event_id"], "confirm")[1]["error"]["code"] == "already_resolved"
    assert resolve(moderator, "no-such-event", "dismiss")[0] == 404
    # When the moderator sets level 3, then tries to suspend (admins only)
    assert set_level(moderator, traveller.user_id, 3) == (
        200,
        {"user_id": traveller.user_id, "score": 0, "alert_level": 3},
    )
    assert set_level(moderator, traveller.user_id, 4)[0] == 403
    assert set_level(user, traveller.user_id, 2)[0] == 403
    # When the admin suspends: every route refuses the user's token (after the gate's cache), login too
    assert set_level(admin, traveller.user_id, 4)[1]["alert_level"] == 4
    clock.advance(SessionGate.CACHE_SECONDS)
    assert set(statuses_with(user)) == {(403, "account_suspended")}
    status, body, _ = accounts.log_in(traveller.username, traveller.device_id)
    assert (status, body["error"]["code"]) == (403, "account_suspended")
    # When the admin lifts it: the user logs in again
    assert set_level(admin, traveller.user_id, 1)[1]["alert_level"] == 1
    assert accounts.log_in(traveller.username, traveller.device_id)[0] == 200


@pytest.mark.parametrize("group", ["admin", "moderator"])
def test_nobody_sets_their_own_level(cognito: Outbox, group: str) -> None:
    claims = member_of(cognito, group)
    assert set_level(claims, claims["sub"], 2)[1]["error"]["code"] == "cannot_change_own_level"
