"""The auth Lambda through its real entry point: sign-up, confirmation, login, refresh, and every
refusal leaving nothing behind."""

from __future__ import annotations

from typing import Any

import pytest

from functions.auth.handler import lambda_handler as auth_handler
from functions.profile.handler import lambda_handler as profile_handler
from local_runtime.outbox import Outbox
from tests.support.accounts import (
    PASSWORD,
    call,
    confirm,
    footprint,
    from_ip,
    log_in,
    open_account,
    referral_code_of,
    sign_up,
)
from twtc_core.accounts.stores._table import user_key
from twtc_core.accounts.stores.profiles import _ProfileItem
from twtc_core.accounts.stores.referrals import _ReferralDayItem
from twtc_core.security import SecurityStore


def error_of(response: tuple[int, Any, dict[str, str]]) -> tuple[int, str]:
    status, body, _ = response
    return status, body["error"]["code"]


# --- sign-up and confirmation --------------------------------------------------------------------
def test_sign_up_answers_201_and_sends_a_code_without_provisioning(cognito: Outbox) -> None:
    status, body, _ = sign_up("asha@example.com")

    assert status == 201 and body["confirmation_required"] is True
    assert len(cognito.messages("asha@example.com")) == 1
    assert cognito.messages("asha@example.com")[0]["channel"] == "email"
    # only the inbox's reservation (one account per inbox) is written before confirmation
    assert footprint() == {"cognito_users": 1, "users_items": 1, "ledger_items": 0, "queued": 0}


def test_sign_up_by_phone_sends_the_code_by_sms(cognito: Outbox) -> None:
    body = {
        "phone": "+91 98765 43210",
        "password": PASSWORD,
        "name": "Chitra",
        "device_id": "device-chitra-1",
    }
    status, _, _ = call(auth_handler, "http_api_auth_signup", caller=None, body=body)

    assert status == 201
    assert [m["channel"] for m in cognito.messages("+919876543210")] == ["sms"]


def test_confirmation_provisions_the_account(cognito: Outbox) -> None:
    asha = open_account(cognito, "asha@example.com")

    assert footprint()["users_items"] >= 3  # profile, code, group counter, device
    assert referral_code_of(asha.user_id)


def test_a_wrong_code_is_422_and_provisions_nothing(cognito: Outbox) -> None:
    sign_up("asha@example.com")
    wrong = "000000" if cognito.messages("asha@example.com")[0]["payload"]["code"] != "000000" else "111111"

    assert error_of(confirm(cognito, "asha@example.com", wrong)) == (422, "invalid_code")
    assert footprint()["users_items"] == 1  # the inbox's reservation only: no profile


def test_a_code_that_is_not_six_digits_is_a_validation_error(cognito: Outbox) -> None:
    sign_up("asha@example.com")
    assert error_of(confirm(cognito, "asha@example.com", "12ab")) == (422, "invalid_code")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unknown_code", (422, "invalid_referral_code")),
        ("own_code", (422, "invalid_referral_code")),
        ("lifetime_cap_reached", (422, "referral_limit_reached")),
        ("daily_cap_reached", (422, "referral_limit_reached")),
        ("duplicate_email", (409, "account_exists")),
        ("alias_of_the_same_inbox", (409, "account_exists")),
        ("weak_password", (422, "weak_password")),
        ("bad_phone", (422, "validation_failed")),
        ("email_and_phone", (422, "validation_failed")),
        ("disposable_email", (422, "disposable_email")),
    ],
)
def test_a_refused_sign_up_writes_nothing(cognito: Outbox, case: str, expected: tuple[int, str]) -> None:
    # Given an existing user with a referral code
    asha = open_account(cognito, "asha@example.com")
    code = referral_code_of(asha.user_id)
    if case == "lifetime_cap_reached":
        _ProfileItem(user_key(asha.user_id), "PROFILE").update(
            actions=[_ProfileItem.referrals_rewarded.set(200)]
        )
    if case == "daily_cap_reached":
        _ReferralDayItem(user_key(asha.user_id), "REFERRALS#DAY#2026-11-25", rewarded=10, expires_at=0).save()
    before, outbox_before = footprint(), len(cognito.messages())

    # When a sign-up breaks one rule
    body = {"email": "bala@example.net", "password": PASSWORD, "name": "Bala", "device_id": "device-bala-1"}
    body |= {
        "unknown_code": {"referral_code": "ZZZZ2222"},
        "own_code": {"referral_code": code.lower(), "device_id": asha.device_id},
        "lifetime_cap_reached": {"referral_code": code},
        "daily_cap_reached": {"referral_code": code},
        "duplicate_email": {"email": "ASHA@example.com"},
        "alias_of_the_same_inbox": {"email": "Asha+second-bonus@example.com"},
        "weak_password": {"password": "password"},
        "bad_phone": {"email": None, "phone": "+91 12"},
        "email_and_phone": {"phone": "+919876543210"},
        "disposable_email": {"email": "bala@mailinator.com"},
    }[case]
    response = call(auth_handler, "http_api_auth_signup", caller=None, body=body)

    # Then it gets the spec's error and nothing was written or sent
    assert error_of(response) == expected
    assert footprint() == before
    assert len(cognito.messages()) == outbox_before


def test_one_inbox_opens_one_account_however_its_address_is_spelled(cognito: Outbox) -> None:
    # Given Asha has an account as asha.rao@gmail.com
    asha = open_account(cognito, "asha.rao@gmail.com")

    # When she signs up again with a Gmail spelling of the same inbox, from another IP and device
    status, body, _ = sign_up("A.Sha.Rao+again@GoogleMail.com", ip="203.0.113.77", device_id="device-x-2")

    # Then it is refused like a duplicate address, and the refusal used no sign-up quota
    assert (status, body["error"]["code"]) == (409, "account_exists")
    assert [sign_up(f"u{n}@example.com", ip="203.0.113.77")[0] for n in range(3)] == [201] * 3
    # And once her account is erased, the inbox may open a new one
    assert call(profile_handler, "http_api_me_delete", caller=asha.user_id)[0] == 204
    assert sign_up("asharao@gmail.com", ip="203.0.113.78")[0] == 201


def test_the_fourth_sign_up_from_one_ip_in_an_hour_is_429(cognito: Outbox, clock: Any) -> None:
    for number in range(3):
        assert sign_up(f"user{number}@example.com", ip="203.0.113.9")[0] == 201
    before = footprint()

    status, body, headers = sign_up("user3@example.com", ip="203.0.113.9")

    assert (status, body["error"]["code"]) == (429, "too_many_signups")
    assert 0 < int(headers["Retry-After"]) <= 3600
    assert footprint() == before
    # Another viewer (CloudFront tells them apart) is not affected, and the window passes.
    assert sign_up("user4@example.com", ip="203.0.113.10")[0] == 201
    clock.advance(int(headers["Retry-After"]))
    assert sign_up("user5@example.com", ip="203.0.113.9")[0] == 201


def test_refused_sign_ups_do_not_use_the_ip_quota(cognito: Outbox) -> None:
    for _ in range(3):
        assert sign_up("bad@example.com", ip="203.0.113.9", password="weak")[0] == 422
    assert sign_up("good@example.com", ip="203.0.113.9")[0] == 201


# --- login and refresh ---------------------------------------------------------------------------
def test_login_returns_tokens_and_logs_the_activity(cognito: Outbox) -> None:
    asha = open_account(cognito, "asha@example.com")

    status, tokens, _ = log_in("ASHA@example.com", asha.device_id)

    assert status == 200
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"] and tokens["access_token"]
    actions = [item.action for item in SecurityStore().activity_of(asha.user_id)]
    assert actions == ["login", "signup"]


def test_refresh_issues_a_new_access_token(cognito: Outbox) -> None:
    asha = open_account(cognito, "asha@example.com")
    _, tokens, _ = log_in(asha.username, asha.device_id)

    status, body, _ = call(
        auth_handler, "http_api_auth_refresh", caller=None, body={"refresh_token": tokens["refresh_token"]}
    )

    assert status == 200 and body["access_token"] and body["refresh_token"] is None


def test_a_bad_refresh_token_is_401(cognito: Outbox) -> None:
    response = call(auth_handler, "http_api_auth_refresh", caller=None, body={"refresh_token": "forged"})
    assert error_of(response) == (401, "invalid_credentials")


def test_a_login_from_a_new_device_ends_the_other_sessions(cognito: Outbox) -> None:
    # Given a session on the sign-up device
    asha = open_account(cognito, "asha@example.com")
    _, first, _ = log_in(asha.username, asha.device_id)

    # When the user logs in on a new device
    status, second, _ = log_in(asha.username, "device-asha-tablet", ip="192.0.2.7")

    # Then the old session's refresh token is revoked, the new one works, and both are recorded
    assert status == 200
    old = call(
        auth_handler, "http_api_auth_refresh", caller=None, body={"refresh_token": first["refresh_token"]}
    )
    new = call(
        auth_handler, "http_api_auth_refresh", caller=None, body={"refresh_token": second["refresh_token"]}
    )
    assert error_of(old) == (401, "invalid_credentials")
    assert new[0] == 200
    actions = [item.action for item in SecurityStore().activity_of(asha.user_id)]
    assert actions[:2] == ["login", "logout_other_sessions"]


def test_a_login_from_a_known_device_keeps_other_sessions(cognito: Outbox) -> None:
    asha = open_account(cognito, "asha@example.com")
    _, first, _ = log_in(asha.username, asha.device_id)

    log_in(asha.username, asha.device_id)

    body = {"refresh_token": first["refresh_token"]}
    assert call(auth_handler, "http_api_auth_refresh", caller=None, body=body)[0] == 200


def test_an_unconfirmed_account_cannot_log_in(cognito: Outbox) -> None:
    sign_up("asha@example.com")
    assert error_of(log_in("asha@example.com", "device-asha-0001")) == (403, "account_not_confirmed")


def test_an_unknown_user_looks_like_a_wrong_password(cognito: Outbox) -> None:
    assert error_of(log_in("nobody@example.com", "device-nobody-1")) == (401, "invalid_credentials")


def test_the_sixth_failed_login_in_15_minutes_is_429(cognito: Outbox, clock: Any) -> None:
    asha = open_account(cognito, "asha@example.com")
    for _ in range(5):
        assert error_of(log_in(asha.username, asha.device_id, password="Wr0ng!Passw0rd")) == (
            401,
            "invalid_credentials",
        )

    status, body, headers = log_in(asha.username, asha.device_id)  # even the right password

    assert (status, body["error"]["code"]) == (429, "too_many_login_attempts")
    assert 0 < int(headers["Retry-After"]) <= 15 * 60
    clock.advance(int(headers["Retry-After"]))
    assert log_in(asha.username, asha.device_id)[0] == 200


def test_successful_logins_do_not_count_towards_the_limit(cognito: Outbox) -> None:
    asha = open_account(cognito, "asha@example.com")
    for _ in range(4):
        log_in(asha.username, asha.device_id, password="Wr0ng!Passw0rd")
    for _ in range(3):
        assert log_in(asha.username, asha.device_id)[0] == 200
    assert error_of(log_in(asha.username, asha.device_id, password="Wr0ng!")) == (401, "invalid_credentials")
    assert log_in(asha.username, asha.device_id)[0] == 429


def test_the_client_ip_comes_from_cloudfront_else_from_api_gateway(cognito: Outbox) -> None:
    body = {"email": "asha@example.com", "password": PASSWORD, "name": "Asha", "device_id": "device-asha-1"}
    status, created, _ = call(
        auth_handler, "http_api_auth_signup", caller=None, body=body, headers=from_ip("2001:db8::7")
    )
    assert status == 201
    assert next(iter(SecurityStore().activity_of(created["user_id"]))).ip == "2001:db8::7"

    body |= {"email": "bala@example.com", "device_id": "device-bala-1"}
    headers = {"cloudfront-viewer-address": ""}
    status, created, _ = call(auth_handler, "http_api_auth_signup", caller=None, body=body, headers=headers)
    assert next(iter(SecurityStore().activity_of(created["user_id"]))).ip == "203.0.113.10"


def test_an_erased_inbox_signs_up_again_but_never_as_a_new_referral(cognito: Outbox) -> None:
    # Given a referrer, and a farmer who signed up with the referrer's code and then erased the account
    referrer = open_account(cognito, "ravi@example.com", ip="198.51.100.60")
    code = referral_code_of(referrer.user_id)
    farmer = open_account(cognito, "farm.er@gmail.com", ip="203.0.113.61", referral_code=code)
    assert call(profile_handler, "http_api_me_delete", caller=farmer.user_id)[0] == 204
    before = footprint()

    # When the same inbox signs up again with the code, however it spells the address
    status, body, _ = sign_up(
        "Farmer+2@googlemail.com", ip="203.0.113.62", device_id="farm-phone-0002", referral_code=code
    )

    # Then the code is refused and nothing is written
    assert (status, body["error"]["code"]) == (422, "invalid_referral_code"), body
    assert body["error"]["details"] == {"reason": "returning_member"}
    assert footprint() == before
    # And a failed sign-up does not wipe out the inbox's history: the code stays refused
    assert sign_up("farmer@gmail.com", ip="203.0.113.63", referral_code=code, password="weak")[0] == 422
    assert sign_up("farmer@gmail.com", ip="203.0.113.64", referral_code=code)[1]["error"]["details"] == {
        "reason": "returning_member"
    }
    # While the inbox may still open an account of its own, without a referral
    assert sign_up("farmer@gmail.com", ip="203.0.113.65")[0] == 201


def test_an_inbox_someone_reserved_and_never_confirmed_is_freed_after_a_day(
    cognito: Outbox, clock: Any
) -> None:
    # Given a squatter who signed up with a spelling of Vijay's inbox (the code went to Vijay, not to them)
    assert sign_up("v.i.j.a.y@gmail.com", ip="203.0.113.80", device_id="squatter-0001")[0] == 201
    # Then Vijay cannot sign up while that code could still be used
    status, body, _ = sign_up("vijay@gmail.com", ip="203.0.113.81")
    assert (status, body["error"]["code"]) == (409, "account_exists")
    # When the code's day has passed unconfirmed
    clock.advance(24 * 3600 + 1)
    # Then the inbox is Vijay's to sign up with
    assert sign_up("vijay@gmail.com", ip="203.0.113.82")[0] == 201


def test_a_confirmed_inbox_never_gives_way(cognito: Outbox, clock: Any) -> None:
    # Given Asha confirmed her account (provisioning marks her inbox's reservation confirmed)
    open_account(cognito, "asha.rao@gmail.com")
    # When a day and more pass
    clock.advance(30 * 24 * 3600)
    # Then another spelling of her inbox is still refused
    status, body, _ = sign_up("asharao+x@gmail.com", ip="203.0.113.83", device_id="other-device-01")
    assert (status, body["error"]["code"]) == (409, "account_exists")
