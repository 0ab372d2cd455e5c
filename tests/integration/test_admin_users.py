"""Admin users API through the real handlers: admins and moderators find users (by e-mail, phone, id or
referral code) and open their detail; a disabled user's tokens stop working on every route and they
cannot log in; only an admin may disable."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from functions.admin_users.handler import lambda_handler as admin_handler
from functions.profile.handler import lambda_handler as profile_handler
from local_runtime.outbox import Outbox
from tests.integration.test_admin_trust import member_of
from tests.integration.test_sessions import EVERY_USER_ROUTE, logged_in, statuses_with
from tests.support import accounts
from tests.support.accounts import call
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.fraud.models import Severity
from twtc_core.fraud.score import AlertLevel, ScoredEvent
from twtc_core.fraud.store import FraudStore, TrustState
from twtc_core.ledger import Ledger

pytestmark = pytest.mark.usefixtures("cognito")
SIGNUP_BONUS = 1_000


@pytest.fixture
def admin(cognito: Outbox) -> dict[str, str]:
    """The claims of a logged-in member of the `admin` group."""
    account = accounts.open_account(cognito, "root@example.com", device_id="admin-laptop-01", ip="192.0.2.1")
    boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"]).admin_add_user_to_group(
        UserPoolId=os.environ["USER_POOL_ID"], Username=account.user_id, GroupName="admin"
    )
    return logged_in(account.username, account.device_id, ip="192.0.2.1")


@pytest.fixture
def asha(cognito: Outbox) -> accounts.Account:
    return accounts.open_account(cognito, "asha@example.com", device_id="asha-phone-0001")


def act(claims: dict[str, str], action: str, user_id: str) -> tuple[int, dict[str, object]]:
    status, body, _ = call(
        admin_handler,
        "http_api_admin_users_disable",
        caller=None,
        claims=claims,
        path=f"/v1/admin/users/{user_id}/{action}",
    )
    return int(status), body


def test_a_disabled_user_is_locked_out_everywhere_until_enabled(
    admin: dict[str, str], asha: accounts.Account
) -> None:
    # Given Asha using the app
    phone = logged_in(asha.username, asha.device_id)
    # When an admin disables her account
    assert act(admin, "disable", asha.user_id) == (200, {"user_id": asha.user_id, "enabled": False})
    # Then her token opens nothing and her password does not log her in (403 account_suspended: spec §9)
    assert statuses_with(phone) == [(401, "session_ended")] * len(EVERY_USER_ROUTE)
    status, body, _ = accounts.log_in(asha.username, asha.device_id)
    assert (status, body["error"]["code"]) == (403, "account_suspended")
    # When the admin enables it again
    assert act(admin, "enable", asha.user_id) == (200, {"user_id": asha.user_id, "enabled": True})
    # Then she can log in and use the app, while the old token stays dead
    fresh = logged_in(asha.username, asha.device_id)
    assert call(profile_handler, "http_api_me_get", caller=None, claims=fresh)[0] == 200
    assert statuses_with(phone)[0] == (401, "session_ended")


def test_only_an_admin_may_disable(asha: accounts.Account, cognito: Outbox) -> None:
    # Given another plain user
    bala = accounts.open_account(cognito, "bala@example.com", device_id="bala-phone-0001", ip="192.0.2.77")
    bala_claims = logged_in(bala.username, bala.device_id, ip="192.0.2.77")
    asha_claims = logged_in(asha.username, asha.device_id)
    # When Bala tries to disable Asha
    status, body = act(bala_claims, "disable", asha.user_id)
    # Then it is forbidden and Asha is untouched
    assert (status, body["error"]["code"]) == (403, "forbidden")  # type: ignore[index]
    assert statuses_with(asha_claims)[0] == (200, None)


def test_an_unknown_user_is_404(admin: dict[str, str]) -> None:
    status, body = act(admin, "disable", "00000000-0000-0000-0000-000000000000")
    assert (status, body["error"]["code"]) == (404, "profile_not_found")  # type: ignore[index]


def test_an_admin_cannot_disable_their_own_account(admin: dict[str, str]) -> None:
    # When the only admin tries to disable themselves
    status, body = act(admin, "disable", admin["sub"])
    # Then it is refused and they keep working
    assert (status, body["error"]["code"]) == (409, "cannot_disable_self")  # type: ignore[index]
    assert act(admin, "enable", admin["sub"])[0] == 200


def test_a_disabled_accounts_referral_code_earns_nothing_until_enabled(
    admin: dict[str, str], asha: accounts.Account, cognito: Outbox
) -> None:
    # Given Asha's code was used by Bala before an admin disabled her (his reward is still queued)
    code = accounts.referral_code_of(asha.user_id)
    accounts.open_account(
        cognito, "bala@example.com", device_id="bala-phone-0001", ip="192.0.2.50", referral_code=code
    )
    pending = accounts.queued_messages()
    assert act(admin, "disable", asha.user_id)[0] == 200
    # When the queued reward is processed, and someone else tries her code
    accounts.run_worker(pending)
    status, body, _ = accounts.sign_up("cara@example.com", ip="192.0.2.51", referral_code=code)
    # Then Bala's referral is withheld and the code is refused, and Asha earned nothing
    assert [(r.status, r.reason) for r in ReferralStore().referrals_of(asha.user_id)] == [
        ("WITHHELD", "referrer_disabled")
    ]
    assert (status, body["error"]["code"]) == (422, "invalid_referral_code")
    assert Ledger().get_wallet(asha.user_id).balance == SIGNUP_BONUS
    # And once she is enabled again, her code works for new sign-ups
    assert act(admin, "enable", asha.user_id)[0] == 200
    assert accounts.sign_up("cara@example.com", ip="192.0.2.51", referral_code=code)[0] == 201


def search(claims: dict[str, str], query: str) -> tuple[int, Any]:
    status, body, _ = call(
        admin_handler, "http_api_admin_users_search", caller=None, claims=claims, query={"query": query}
    )
    return int(status), body


def detail(claims: dict[str, str], user_id: str) -> tuple[int, Any]:
    status, body, _ = call(
        admin_handler,
        "http_api_admin_users_get",
        caller=None,
        claims=claims,
        path=f"/v1/admin/users/{user_id}",
    )
    return int(status), body


def test_a_moderator_finds_a_user_by_email_phone_id_or_code(asha: accounts.Account, cognito: Outbox) -> None:
    # Given Asha, whose phone number is on her sign-in, and a moderator
    boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"]).admin_update_user_attributes(
        UserPoolId=os.environ["USER_POOL_ID"],
        Username=asha.user_id,
        UserAttributes=[{"Name": "phone_number", "Value": "+919812345678"}],
    )
    moderator = member_of(cognito, "moderator")
    code = accounts.referral_code_of(asha.user_id)
    # When the moderator searches by each kind of key (as people type them)
    queries = ["Asha@Example.com", "+919812345678", asha.user_id, f"{code[:4].lower()}-{code[4:].lower()}"]
    answers = [search(moderator, query) for query in queries]
    # Then every search finds Asha, and only her
    for status, body in answers:
        assert status == 200, body
        assert [item["user_id"] for item in body["items"]] == [asha.user_id]
    assert answers[0][1]["items"][0] == {
        "user_id": asha.user_id,
        "name": "Test User",
        "email": "asha@example.com",
        "phone": None,
        "referral_code": code,
        "group": ProfileStore().get(asha.user_id).group,  # type: ignore[union-attr]
        "disabled": False,
        "alert_level": 1,
    }


def test_a_search_that_finds_nobody_is_an_empty_page(admin: dict[str, str]) -> None:
    unknown = ["nobody@example.com", "+15550000000", "00000000-0000-0000-0000-000000000000", "ZZZZ2345"]
    not_an_account_key = ["a@b@c", "some one@example.com", f"{'x' * 130}@example.com", "?", "ünïcode"]
    for query in unknown + not_an_account_key:
        assert search(admin, query) == (200, {"items": [], "next_cursor": None})


def test_a_users_detail_shows_wallet_trust_events_and_devices(
    admin: dict[str, str], asha: accounts.Account
) -> None:
    # Given Asha flagged twelve times for impossible travel, an hour apart (her trust state at level 2)
    first = datetime(2026, 11, 25, 9, 10, tzinfo=UTC)
    events = tuple(
        ScoredEvent(f"evt-travel-{n:04}", "IMPOSSIBLE_TRAVEL", Severity.HIGH, first + timedelta(hours=n))
        for n in range(12)
    )
    FraudStore().save_trust(TrustState(asha.user_id, score=45, level=AlertLevel(2), events=events))
    # When an admin opens her account
    status, body = detail(admin, asha.user_id)
    # Then they see her profile, wallet and history, trust, the ten newest events (newest first), devices
    assert status == 200, body
    assert body["user"]["user_id"] == asha.user_id
    assert body["user"]["alert_level"] == 2
    assert body["score"] == 45
    assert body["wallet"]["balance"] == SIGNUP_BONUS
    assert [(entry["type"], entry["amount"]) for entry in body["recent_transactions"]] == [
        ("SIGNUP_BONUS", SIGNUP_BONUS)
    ]
    assert [event["event_id"] for event in body["recent_fraud_events"]] == [
        f"evt-travel-{n:04}" for n in range(11, 1, -1)
    ]
    assert body["recent_fraud_events"][0] == {
        "event_id": "evt-travel-0011",
        "type": "IMPOSSIBLE_TRAVEL",
        "severity": "HIGH",
        "status": "OPEN",
        "created_at": "2026-11-25T20:10:00Z",
    }
    assert [device["device_id"] for device in body["devices"]] == [asha.device_id]


def test_an_account_whose_wallet_is_not_open_yet_shows_no_wallet_and_no_history(
    admin: dict[str, str], asha: accounts.Account
) -> None:
    # Given Asha's profile without its wallet (as while her provisioning is retried)
    ledger = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE_NAME"])
    ledger.delete_item(Key={"pk": f"WALLET#{asha.user_id}", "sk": "WALLET"})
    # When an admin opens her account, it shows, with neither
    status, body = detail(admin, asha.user_id)
    assert status == 200, body
    assert (body["wallet"], body["recent_transactions"]) == (None, [])


def test_an_unknown_users_detail_is_404(admin: dict[str, str]) -> None:
    status, body = detail(admin, "00000000-0000-0000-0000-000000000000")
    assert (status, body["error"]["code"]) == (404, "profile_not_found")


def test_a_plain_user_may_not_look_users_up(asha: accounts.Account) -> None:
    claims = logged_in(asha.username, asha.device_id)
    assert search(claims, asha.user_id)[1]["error"]["code"] == "forbidden"
    assert [search(claims, asha.user_id)[0], detail(claims, asha.user_id)[0]] == [403, 403]
