"""Ended sessions stop working on every route (spec §4, §9), through the real handlers and real tokens.

The claims are those of tokens the (emulated) Cognito pool issued, handed over as API Gateway's JWT
authorizer would: what the functions must refuse is a token whose signature and expiry are still good.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from functions.profile.handler import lambda_handler as profile_handler
from functions.referrals.handler import lambda_handler as referrals_handler
from functions.wallet.handler import lambda_handler as wallet_handler
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.accounts import call, claims_of
from twtc_core.clock import CLOCK, Clock

EVERY_USER_ROUTE: list[tuple[Callable[..., Any], str, Any]] = [
    (wallet_handler, "http_api_wallet_get", None),
    (wallet_handler, "http_api_wallet_transactions", None),
    (profile_handler, "http_api_me_get", None),
    (profile_handler, "http_api_me_patch", {"name": "Changed By Thief"}),
    (profile_handler, "http_api_me_export", None),
    (referrals_handler, "http_api_referrals_get", None),
    (profile_handler, "http_api_me_delete", None),  # last: it would erase the account
]


def logged_in(username: str, device_id: str, ip: str = "198.51.100.23") -> dict[str, str]:
    """Log in a second after whatever came before (the cut-off has whole-second precision, like `iat`)."""
    CLOCK.advance(1)
    status, body, _ = accounts.log_in(username, device_id, ip=ip)
    assert status == 200, body
    return claims_of(body["access_token"])


def statuses_with(claims: dict[str, str]) -> list[tuple[int, str | None]]:
    results = []
    for handler, name, body in EVERY_USER_ROUTE:
        status, answer, _ = call(handler, name, caller=None, claims=claims, body=body)
        results.append((int(status), (answer or {}).get("error", {}).get("code")))
    return results


@pytest.fixture
def asha(cognito: Outbox) -> accounts.Account:
    return accounts.open_account(cognito, "asha@example.com", device_id="asha-phone-0001")


def test_a_login_from_a_new_device_ends_the_other_devices_access_tokens_on_every_route(
    asha: accounts.Account,
) -> None:
    # Given Asha logged in on her phone
    phone = logged_in(asha.username, "asha-phone-0001")
    assert call(wallet_handler, "http_api_wallet_get", caller=None, claims=phone)[0] == 200
    # When she (or someone with her password) logs in from a laptop never seen before
    laptop = logged_in(asha.username, "asha-laptop-0002")
    # Then the phone's still-signed, unexpired token is refused everywhere, the erasure included
    assert statuses_with(phone) == [(401, "session_ended")] * len(EVERY_USER_ROUTE)
    # And the laptop works, and the account was not erased or changed by the refused calls
    status, me, _ = call(profile_handler, "http_api_me_get", caller=None, claims=laptop)
    assert status == 200 and me["name"] == "Test User"


def test_a_login_from_a_known_device_keeps_the_other_sessions(asha: accounts.Account) -> None:
    # Given Asha logged in on her phone, and on her laptop (which then became a known device)
    phone = logged_in(asha.username, "asha-phone-0001")
    laptop = logged_in(asha.username, "asha-laptop-0002")
    phone_again = logged_in(asha.username, "asha-phone-0001")
    # When she logs in on the laptop once more
    laptop_again = logged_in(asha.username, "asha-laptop-0002")
    # Then only the session that predates the laptop's first login is gone
    live = {
        name: call(wallet_handler, "http_api_wallet_get", caller=None, claims=claims)[0]
        for name, claims in {
            "phone": phone,
            "laptop": laptop,
            "phone_again": phone_again,
            "laptop_again": laptop_again,
        }.items()
    }
    assert live == {"phone": 401, "laptop": 200, "phone_again": 200, "laptop_again": 200}


def test_an_erased_users_token_is_refused_on_every_route(asha: accounts.Account) -> None:
    # Given Asha logged in on two known devices
    logged_in(asha.username, "asha-laptop-0002")
    laptop = logged_in(asha.username, "asha-laptop-0002")
    phone = logged_in(asha.username, "asha-phone-0001")
    # When she erases her account from the phone
    status, _, _ = call(profile_handler, "http_api_me_delete", caller=None, claims=phone)
    assert status == 204
    # Then neither device's token opens anything any more
    assert statuses_with(phone) == [(401, "session_ended")] * len(EVERY_USER_ROUTE)
    assert statuses_with(laptop) == [(401, "session_ended")] * len(EVERY_USER_ROUTE)


def test_an_id_token_is_refused_on_every_route(asha: accounts.Account) -> None:
    # Given the id token of a fresh login (it carries the e-mail and the sign-up IP)
    _, body, _ = accounts.log_in(asha.username, asha.device_id)
    id_claims = claims_of(body["id_token"])
    # Then no route takes it
    assert statuses_with(id_claims) == [(401, "access_token_required")] * len(EVERY_USER_ROUTE)


def test_erasure_needs_a_password_typed_in_the_last_five_minutes(
    asha: accounts.Account, clock: Clock
) -> None:
    # Given a token from a login six minutes ago (still valid: access tokens live 15 minutes)
    claims = logged_in(asha.username, asha.device_id)
    clock.advance(6 * 60)
    # When it asks to erase the account
    status, body, _ = call(profile_handler, "http_api_me_delete", caller=None, claims=claims)
    # Then the user must log in again first, and the account is untouched
    assert (status, body["error"]["code"]) == (401, "reauthentication_required")
    assert call(profile_handler, "http_api_me_get", caller=None, claims=claims)[0] == 200
    # And right after a fresh login it works
    fresh = logged_in(asha.username, asha.device_id)
    assert call(profile_handler, "http_api_me_delete", caller=None, claims=fresh)[0] == 204


def test_two_racing_new_device_logins_leave_exactly_one_session(asha: accounts.Account) -> None:
    # Given two new devices logging in at the same moment, many times over
    for round_number in range(5):
        tokens: dict[str, dict[str, str]] = {}

        def log_in(device: str) -> None:
            tokens[device] = logged_in(asha.username, device)  # noqa: B023 - joined in this round

        devices = [f"race-{round_number}-a-0001", f"race-{round_number}-b-0002"]
        threads = [threading.Thread(target=log_in, args=(device,)) for device in devices]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Then exactly one of them can use the API
        alive = [
            call(wallet_handler, "http_api_wallet_get", caller=None, claims=claims)[0] == 200
            for claims in tokens.values()
        ]
        assert sorted(alive) == [False, True], round_number


def test_five_wrong_confirmation_codes_lock_the_username_for_fifteen_minutes(
    cognito: Outbox, clock: Clock
) -> None:
    # Given a sign-up waiting for its code
    assert accounts.sign_up("guess@example.com")[0] == 201
    right = accounts.sent_code(cognito, "guess@example.com")
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    # When someone tries five wrong codes
    attempts = [accounts.confirm(cognito, "guess@example.com", wrong)[0] for _ in range(5)]
    # Then the sixth try is refused even with the right code, saying when to come back
    status, body, headers = accounts.confirm(cognito, "guess@example.com", right)
    assert attempts == [422] * 5
    assert (status, body["error"]["code"]) == (429, "too_many_confirmation_attempts")
    assert 0 < int(headers["Retry-After"]) <= 15 * 60
    # And once the window has passed, the right code confirms the account
    clock.advance(15 * 60)
    assert accounts.confirm(cognito, "guess@example.com", right)[0] == 200


def test_failed_logins_are_limited_per_client_ip_across_usernames(cognito: Outbox) -> None:
    # Given one address trying a common password against many usernames (four tries each)
    statuses = [
        accounts.log_in(
            f"victim{n}@example.com", "stuffing-device-01", password="Password1!", ip="203.0.113.9"
        )[0]
        for n in range(21)
    ]
    # Then after 20 failures the address is refused, whatever the username
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
    # While another address is not affected
    assert (
        accounts.log_in("victim0@example.com", "other-device-0001", password="Password1!", ip="203.0.113.10")[
            0
        ]
        == 401
    )


def test_failed_logins_from_one_ipv6_network_count_together(cognito: Outbox) -> None:
    # Given one /64 network trying passwords from a new address each time (IPv6 gives every host many)
    statuses = [
        accounts.log_in(
            f"victim{n}@example.com",
            "stuffing-device-01",
            password="Password1!",
            ip=f"2001:db8:9:9::{n + 1:x}",
        )[0]
        for n in range(21)
    ]
    # Then the network is refused after 20 failures, as one IPv4 address would be
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
