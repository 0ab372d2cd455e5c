"""The profile and referrals Lambdas through their real entry points: my own data only, the GDPR
export and erasure, and my referrals."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from typing import Any

import boto3
import pytest

from functions.erasure_sweeper.handler import lambda_handler as erasure_sweeper
from functions.profile import handler as profile_function
from functions.profile import logic as profile_logic
from functions.profile.handler import lambda_handler as profile_handler
from functions.referral_worker import handler as worker
from functions.referrals.handler import lambda_handler as referrals_handler
from functions.wallet.handler import lambda_handler as wallet_handler
from local_runtime.outbox import Outbox
from tests.support.accounts import (
    Account,
    call,
    log_in,
    open_account,
    queued_messages,
    referral_code_of,
    run_worker,
    sign_up,
)
from tests.support.events import FakeLambdaContext, event
from tests.support.faults import dynamodb_fails_once
from twtc_core.accounts.stores._table import user_key
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore, _DeviceItem
from twtc_core.accounts.stores.profiles import ProfileStore, _ProfileItem
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.reconcile import reconcile
from twtc_core.security import SecurityStore

NOBODY = "6f1c9a2e-1111-4a5b-9c3d-0000000000ff"


@pytest.fixture
def asha(cognito: Outbox) -> Account:
    return open_account(cognito, "asha@example.com", name="Asha Rao", ip="198.51.100.23")


@pytest.fixture
def bala(cognito: Outbox, asha: Account) -> Account:
    """Referred by Asha, rewarded."""
    account = open_account(
        cognito,
        "bala@example.net",
        name="Bala Kumar",
        ip="203.0.113.50",
        referral_code=referral_code_of(asha.user_id),
    )
    run_worker(queued_messages())
    return account


# --- GET/PATCH /v1/me ----------------------------------------------------------------------------
def test_my_profile_has_the_spec_fields(asha: Account) -> None:
    status, body, _ = call(profile_handler, "http_api_me_get", caller=asha.user_id)

    assert status == 200
    assert body == {
        "id": asha.user_id,
        "name": "Asha Rao",
        "email": "asha@example.com",
        "phone": None,
        "referral_code": referral_code_of(asha.user_id),
        "group": 1,
        "kyc_status": "NOT_STARTED",
        "accepts_calls": False,
        "call_rate": 1000,
    }


def test_i_can_become_a_host_with_my_own_rate(asha: Account) -> None:
    body = {"accepts_calls": True, "call_rate": 1500, "name": "Asha R"}
    status, profile, _ = call(profile_handler, "http_api_me_patch", caller=asha.user_id, body=body)

    assert status == 200
    assert (profile["accepts_calls"], profile["call_rate"], profile["name"]) == (True, 1500, "Asha R")
    assert next(iter(SecurityStore().activity_of(asha.user_id))).action == "profile_change"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"call_rate": 99}, "invalid_profile_change"),
        ({"call_rate": 100_001}, "invalid_profile_change"),
        ({}, "validation_failed"),
        ({"email": "new@example.com"}, "validation_failed"),
        ({"name": ""}, "validation_failed"),
    ],
)
def test_profile_changes_out_of_bounds_are_422(asha: Account, body: dict[str, Any], code: str) -> None:
    status, error, _ = call(profile_handler, "http_api_me_patch", caller=asha.user_id, body=body)
    assert (status, error["error"]["code"]) == (422, code)
    assert ProfileStore().get(asha.user_id).call_rate == 1000


def test_every_me_route_shows_the_caller_only_their_own_data(asha: Account, bala: Account) -> None:
    # B reads "me", wallet and referrals: only B's data ever comes back
    _, me, _ = call(profile_handler, "http_api_me_get", caller=bala.user_id)
    _, export, _ = call(profile_handler, "http_api_me_export", caller=bala.user_id)
    _, wallet, _ = call(wallet_handler, "http_api_wallet_get", caller=bala.user_id)
    _, referrals, _ = call(referrals_handler, "http_api_referrals_get", caller=bala.user_id)

    assert me["id"] == bala.user_id and me["email"] == "bala@example.net"
    assert export["user_id"] == bala.user_id and export["profile"]["email"] == "bala@example.net"
    assert sorted(entry["id"] for entry in export["transactions"]) == [
        f"referral:{bala.user_id}:referee",
        f"signup:{bala.user_id}",
    ]
    assert export["referrals_made"] == []
    assert export["referred_by"] == {
        "referral_code": referral_code_of(asha.user_id),
        "status": "REWARDED",
        "reward": 5_000,
        "joined_at": "2026-11-25T09:00:00.000Z",
    }
    assert wallet["balance"] == 1_000 + 5_000  # not Asha's 11 000
    assert referrals["items"] == [] and referrals["code"] == referral_code_of(bala.user_id)
    # and a patch changes B, never A
    call(profile_handler, "http_api_me_patch", caller=bala.user_id, body={"name": "B"})
    assert ProfileStore().get(asha.user_id).name == "Asha Rao"


@pytest.mark.parametrize(
    ("handler", "event_name", "answer"),
    [
        # a signed-in user without a profile was never provisioned: it is requested again (first use)
        (profile_handler, "http_api_me_get", (409, "account_being_set_up")),
        (profile_handler, "http_api_me_export", (409, "account_being_set_up")),
        (profile_handler, "http_api_me_delete", (404, "profile_not_found")),
        (referrals_handler, "http_api_referrals_get", (404, "profile_not_found")),
    ],
)
def test_a_caller_without_an_account_gets_no_data_and_no_token_401(
    cognito: Outbox, handler: Any, event_name: str, answer: tuple[int, str]
) -> None:
    status, body, _ = call(handler, event_name, caller=NOBODY)
    assert (status, body["error"]["code"]) == answer
    status, body, _ = call(handler, event_name, caller=None)
    assert (status, body["error"]["code"]) == (401, "unauthorized")


def test_patching_without_an_account_is_404(cognito: Outbox) -> None:
    status, body, _ = call(profile_handler, "http_api_me_patch", caller=NOBODY, body={"name": "X"})
    assert (status, body["error"]["code"]) == (404, "profile_not_found")


# --- GDPR ----------------------------------------------------------------------------------------
def test_the_export_holds_everything_about_me(asha: Account, bala: Account) -> None:
    log_in(asha.username, asha.device_id)

    status, export, _ = call(profile_handler, "http_api_me_export", caller=asha.user_id)

    assert status == 200
    assert (
        export["profile"]["email"] == "asha@example.com" and export["profile"]["signup_ip"] == "198.51.100.23"
    )
    assert export["wallet"]["balance"] == 11_000
    assert sorted(entry["type"] for entry in export["transactions"]) == ["REFERRAL", "SIGNUP_BONUS"]
    assert [(r["name"], r["status"]) for r in export["referrals_made"]] == [("B*** K****", "REWARDED")]
    assert export["referred_by"] is None
    assert [device["device_id"] for device in export["devices"]] == [asha.device_id]
    assert [item["action"] for item in export["activity"]] == ["export", "login", "signup"]


def test_the_export_is_bounded_and_its_long_lists_continue_with_cursors(
    asha: Account, bala: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Asha's lists are longer than one export page (a page of 1 stands in for 1,000)
    monkeypatch.setattr(profile_logic, "EXPORT_PAGE", 1)
    log_in(asha.username, asha.device_id)

    # When she exports her data
    status, export, _ = call(profile_handler, "http_api_me_export", caller=asha.user_id)

    # Then each list holds one page, and the cursor continues where the export stopped
    assert status == 200
    assert len(export["transactions"]) == 1
    assert len(export["activity"]) == 1 and export["activity_complete"] is False
    assert export["referrals_next_cursor"] is None  # one referral: nothing more
    status, rest, _ = call(
        wallet_handler,
        "http_api_wallet_transactions",
        caller=asha.user_id,
        query={"cursor": export["transactions_next_cursor"]},
    )
    assert status == 200
    assert sorted(entry["type"] for entry in export["transactions"] + rest["items"]) == [
        "REFERRAL",
        "SIGNUP_BONUS",
    ]


def test_the_export_of_100000_entries_stays_far_below_lambdas_6_mb_response_limit() -> None:
    # Given the longest entry the API can describe, repeated as often as one export holds entries
    entry = {
        "id": "x" * 128,
        "type": "REFERRAL",
        "amount": -(10**15),
        "balance_after": 10**15,
        "description": "d" * 200,
        "created_at": "2026-11-25T09:00:00.000000+00:00",
        "metadata": {"referral_id": "r" * 64, "role": "referrer"},
    }
    # Then every list of the export together is bounded by its page size, whatever the account holds
    worst_case = len(json.dumps([entry] * profile_logic.EXPORT_PAGE)) * 3  # transactions, referrals, activity
    assert worst_case < 6 * 1024 * 1024 / 2  # half the limit: room for the profile and the envelope


def test_my_export_shows_whom_i_referred_only_as_my_referrals_list_does(asha: Account, bala: Account) -> None:
    # Given Asha referred Bala, who signed up from his own IP and device
    # When Asha exports her data
    status, export, _ = call(profile_handler, "http_api_me_export", caller=asha.user_id)

    # Then Bala appears masked, exactly as in Asha's GET /v1/referrals, and nothing else of his is there
    _, referrals, _ = call(referrals_handler, "http_api_referrals_get", caller=asha.user_id)
    assert status == 200 and export["referrals_made"] == referrals["items"]
    exported = json.dumps(export)
    for bala_data in (bala.ip, bala.device_id, bala.username, "Bala Kumar"):
        assert bala_data not in exported
    assert bala.user_id not in json.dumps(export["referrals_made"])
    # and no storage keys or internal fields leak either
    assert not {"pk", "sk", "gsi1pk", "gsi1sk", "status", "erasure_pending"} & export["profile"].keys()


def test_an_erasure_that_failed_halfway_leaves_no_live_session_and_its_steps_recorded(
    asha: Account, bala: Account
) -> None:
    # Given Asha's erasure failed after her profile was erased, while her devices were being forgotten
    with dynamodb_fails_once(_DeviceItem, "BatchWriteItem"):
        status, body, _ = call(profile_handler, "http_api_me_delete", caller=asha.user_id)
    assert (status, body["error"]["code"]) == (500, "internal_error")
    # Then her token no longer opens anything, a retry included: her sessions ended before anything else
    assert call(profile_handler, "http_api_me_get", caller=asha.user_id)[0] == 401
    assert call(profile_handler, "http_api_me_delete", caller=asha.user_id)[0] == 401
    # And the steps still to run are on record for the erasure sweeper, her devices among them
    profile = ProfileStore().get(asha.user_id)
    assert profile is not None and "forget_devices" in (profile.erasure_pending or set())
    assert DeviceStore().devices_of(asha.user_id) != []


def cognito_user_exists(user_id: str) -> bool:
    users = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"]).list_users(
        UserPoolId=os.environ["USER_POOL_ID"], Filter=f'sub = "{user_id}"'
    )["Users"]
    return bool(users)


def sweep() -> dict[str, Any]:
    return erasure_sweeper(event("eventbridge_erasure_sweeper"), FakeLambdaContext())


@pytest.mark.parametrize(
    ("service", "method"),
    [
        ("pool", "delete_user"),
        ("codes", "retire"),
        ("referrals", "erase_referee_details"),
        ("devices", "forget_devices_of"),
        ("security", "erase_activity_of"),
        ("profiles", "close_erasure"),
    ],
)
def test_an_erasure_interrupted_after_any_step_is_completed_by_the_sweeper(
    asha: Account, bala: Account, monkeypatch: pytest.MonkeyPatch, service: str, method: str
) -> None:
    # Given Bala's DELETE /v1/me crashed at one step, and he never retried it
    code = referral_code_of(bala.user_id)

    def crash(*args: Any) -> None:
        raise ConnectionError("the Lambda timed out here")

    monkeypatch.setattr(getattr(profile_function.services, service), method, crash)
    assert call(profile_handler, "http_api_me_delete", caller=bala.user_id)[0] == 500
    monkeypatch.undo()
    # his personal data went first, before anything else could fail
    raw = _ProfileItem.get(user_key(bala.user_id), "PROFILE").attribute_values
    assert not {"name", "email", "phone", "signup_ip", "signup_device_id"} & raw.keys()
    assert ProfileStore().pending_erasures(10) == [bala.user_id]

    # When the erasure sweeper runs on its schedule
    assert sweep() == {"finished": 1}

    # Then every step is done: no login, no devices, no activity but the erasure, code retired, hidden
    assert not cognito_user_exists(bala.user_id)
    assert DeviceStore().devices_of(bala.user_id) == []
    assert [item.action for item in SecurityStore().activity_of(bala.user_id)] == ["delete"]
    code_item = CodeStore().get(code)
    assert code_item is not None and code_item.retired
    referral = ReferralStore().get(bala.user_id)
    assert referral is not None and referral.referee_name_masked == "(deleted)"
    # and nothing is left pending, so the next run has nothing to do; the ledger still adds up
    assert ProfileStore().pending_erasures(10) == []
    assert sweep() == {"finished": 0}
    assert reconcile().ok


def test_a_referrer_erased_before_the_reward_is_decided_earns_nothing(cognito: Outbox, asha: Account) -> None:
    # Given Bala signed up with Asha's code, and Asha erased her account before the reward was decided
    open_account(cognito, "bala@example.net", ip="203.0.113.50", referral_code=referral_code_of(asha.user_id))
    assert call(profile_handler, "http_api_me_delete", caller=asha.user_id)[0] == 204

    # When the referral worker handles the reward request
    assert run_worker(queued_messages()) == {"batchItemFailures": []}

    # Then the referral is withheld and no one is credited for it; the ledger adds up
    referral = next(iter(ReferralStore().referrals_of(asha.user_id)))
    assert (referral.status, referral.reason) == ("WITHHELD", "referrer_deleted")
    assert [entry.type for entry in Ledger().history(asha.user_id, 10, None).items] == [
        EntryType.SIGNUP_BONUS
    ]
    assert reconcile().ok


def test_erasure_removes_pii_keeps_the_ledger_and_it_still_reconciles(
    cognito: Outbox, asha: Account, bala: Account
) -> None:
    code = referral_code_of(asha.user_id)
    entries_before = Ledger().history(asha.user_id, 100, None).items

    status, body, _ = call(profile_handler, "http_api_me_delete", caller=asha.user_id)

    assert (status, body) == (204, None)
    # the Cognito user is gone: no login, and the email is free again
    assert log_in(asha.username, asha.device_id)[0] == 401
    assert (
        boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"]).list_users(
            UserPoolId=os.environ["USER_POOL_ID"], Filter='email = "asha@example.com"'
        )["Users"]
        == []
    )
    # the profile holds no personal data, devices and activity are gone
    raw = _ProfileItem.get(user_key(asha.user_id), "PROFILE").attribute_values
    assert raw["status"] == "DELETED"
    assert not {"name", "email", "phone", "signup_ip", "signup_device_id"} & raw.keys()
    assert DeviceStore().devices_of(asha.user_id) == []
    assert [item.action for item in SecurityStore().activity_of(asha.user_id)] == ["delete"]
    assert next(iter(SecurityStore().activity_of(asha.user_id))).ip is None
    # the code is retired
    assert sign_up("cara@example.com", referral_code=code)[1]["error"]["code"] == "invalid_referral_code"
    # the ledger is kept under the pseudonymous id and still adds up
    assert Ledger().history(asha.user_id, 100, None).items == entries_before
    assert reconcile().ok
    # and the account's tokens no longer open anything
    assert call(profile_handler, "http_api_me_get", caller=asha.user_id)[0] == 401


def test_erasing_a_referee_hides_them_from_the_referrers_list(asha: Account, bala: Account) -> None:
    call(profile_handler, "http_api_me_delete", caller=bala.user_id)

    _, referrals, _ = call(referrals_handler, "http_api_referrals_get", caller=asha.user_id)
    assert [(i["name"], i["contact"]) for i in referrals["items"]] == [("(deleted)", "(deleted)")]
    assert Ledger().get_wallet(bala.user_id).balance == 6_000


# --- GET /v1/referrals ---------------------------------------------------------------------------
def test_my_referrals_show_code_link_masked_friends_rewards_and_room_left(
    asha: Account, bala: Account
) -> None:
    status, body, _ = call(referrals_handler, "http_api_referrals_get", caller=asha.user_id)

    code = referral_code_of(asha.user_id)
    assert status == 200
    assert body == {
        "code": code,
        "share_link": f"https://twtc.app/r/{code}",
        "rewarded_referrals": 1,
        "rewards_earned": 10_000,
        "remaining": {"today": 9, "lifetime": 199},
        "items": [
            {
                "name": "B*** K****",
                "contact": "b***@example.net",
                "status": "REWARDED",
                "reward": 10_000,
                "joined_at": "2026-11-25T09:00:00.000Z",
            }
        ],
        "next_cursor": None,
    }


def test_referrals_are_paginated_and_cursors_are_per_user(
    cognito: Outbox, asha: Account, bala: Account, clock: Any
) -> None:
    clock.advance(60)
    open_account(cognito, "cara@example.org", ip="192.0.2.80", referral_code=referral_code_of(asha.user_id))

    _, first, _ = call(referrals_handler, "http_api_referrals_get", caller=asha.user_id, query={"limit": "1"})
    assert len(first["items"]) == 1 and first["next_cursor"]
    _, second, _ = call(
        referrals_handler,
        "http_api_referrals_get",
        caller=asha.user_id,
        query={"limit": "1", "cursor": first["next_cursor"]},
    )
    assert [i["contact"] for i in first["items"] + second["items"]] == [
        "c***@example.org",
        "b***@example.net",
    ]

    status, body, _ = call(
        referrals_handler,
        "http_api_referrals_get",
        caller=bala.user_id,
        query={"cursor": first["next_cursor"]},
    )
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


def test_rewards_earned_is_what_was_credited_not_todays_rate(
    cognito: Outbox, asha: Account, bala: Account, monkeypatch: pytest.MonkeyPatch, clock: Any
) -> None:
    # Given Bala's referral was credited at 10 000, then (a minute later) the referrer reward became
    # 20 000 for Cara's
    clock.advance(60)
    rules = worker.services.rules
    monkeypatch.setattr(
        worker, "services", replace(worker.services, rules=replace(rules, referrer_reward=20_000))
    )
    open_account(cognito, "cara@example.org", ip="192.0.2.80", referral_code=referral_code_of(asha.user_id))
    run_worker(queued_messages())

    # When Asha reads her referrals
    _, body, _ = call(referrals_handler, "http_api_referrals_get", caller=asha.user_id)

    # Then each referral and the total show what her wallet actually received
    assert [i["reward"] for i in body["items"]] == [20_000, 10_000]
    assert body["rewards_earned"] == 30_000
    referral_credits = [
        e.amount for e in Ledger().history(asha.user_id, 10, None).items if e.type is EntryType.REFERRAL
    ]
    assert sum(referral_credits) == body["rewards_earned"]


def test_pending_referrals_earn_nothing_yet(cognito: Outbox, asha: Account) -> None:
    open_account(cognito, "cara@example.org", ip="192.0.2.80", referral_code=referral_code_of(asha.user_id))

    _, body, _ = call(referrals_handler, "http_api_referrals_get", caller=asha.user_id)

    assert [(i["status"], i["reward"]) for i in body["items"]] == [("PENDING", 0)]
    assert body["rewards_earned"] == 0 and body["remaining"] == {"today": 10, "lifetime": 200}
    assert Ledger().history(asha.user_id, 10, None).items[0].type is EntryType.SIGNUP_BONUS
