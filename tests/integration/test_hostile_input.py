"""No input answers 5xx (issue 7): every hostile body, number, type and code reaches the real handlers and
gets a 4xx with the spec's error body."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest

from functions.auth.handler import lambda_handler as auth_handler
from functions.profile.handler import lambda_handler as profile_handler
from functions.referrals.handler import lambda_handler as referrals_handler
from functions.wallet.handler import lambda_handler as wallet_handler
from local_runtime.outbox import Outbox
from tests.support.accounts import (
    PASSWORD,
    Account,
    call,
    footprint,
    log_in,
    open_account,
    queued_messages,
    referral_code_of,
    run_worker,
    sign_up,
)
from tests.support.events import FakeLambdaContext, body_of, http_event


@dataclass(frozen=True)
class BodyRoute:
    handler: Any
    event: str
    caller: str | None
    body: dict[str, Any]

    def send(self, body: str, content_type: str) -> tuple[int, Any]:
        request = http_event(self.event, caller=self.caller, headers={"content-type": content_type})
        request["body"] = body
        response = self.handler(request, FakeLambdaContext())
        return response["statusCode"], body_of(response)


CALLER = "6f1c9a2e-1111-4a5b-9c3d-00000000a5a1"
# Every route with a body, with a body it would accept.
BODY_ROUTES: list[BodyRoute] = [
    BodyRoute(
        auth_handler,
        "http_api_auth_signup",
        None,
        {"email": "m@example.com", "password": PASSWORD, "name": "M", "device_id": "device-m-0001"},
    ),
    BodyRoute(auth_handler, "http_api_auth_confirm", None, {"username": "m@example.com", "code": "123456"}),
    BodyRoute(
        auth_handler,
        "http_api_auth_login",
        None,
        {"username": "m@example.com", "password": PASSWORD, "device_id": "device-m-0001"},
    ),
    BodyRoute(auth_handler, "http_api_auth_refresh", None, {"refresh_token": "a.b"}),
    BodyRoute(profile_handler, "http_api_me_patch", CALLER, {"name": "M"}),
]
ROUTE_IDS = [route.event for route in BODY_ROUTES]


def error_of(response: tuple[int, Any]) -> tuple[int, str]:
    status, body = response
    assert set(body["error"]) == {"code", "message", "details"}
    return status, body["error"]["code"]


def my_patch(account: Account) -> BodyRoute:
    return BodyRoute(profile_handler, "http_api_me_patch", account.user_id, {})


@pytest.fixture
def asha(cognito: Outbox) -> Account:
    return open_account(cognito, "asha@example.com", name="Asha Rao")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "application/octet-stream",
        "application/vnd.api+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
        "",
    ],
)
@pytest.mark.parametrize("route", BODY_ROUTES, ids=ROUTE_IDS)
# Powertools warns that API Gateway would base64-encode multipart; the body is refused either way.
@pytest.mark.filterwarnings("ignore:Received multipart/form-data without base64 encoding")
def test_a_body_that_is_not_declared_json_is_415_and_writes_nothing(
    cognito: Outbox, route: BodyRoute, content_type: str
) -> None:
    # Given a body the route would accept, declared as something other than JSON
    before = footprint()
    # When it reaches the handler
    response = route.send(json.dumps(route.body), content_type)
    # Then it is refused as an unsupported media type, before anything is written
    assert error_of(response) == (415, "unsupported_media_type")
    assert footprint() == before


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_json_with_or_without_the_utf8_charset_is_read(asha: Account, content_type: str) -> None:
    status, profile = my_patch(asha).send('{"name": "Asha R"}', content_type)
    assert (status, profile["name"]) == (200, "Asha R")


def test_a_route_without_a_body_ignores_the_content_type(asha: Account) -> None:
    request = http_event("http_api_me_get", caller=asha.user_id, headers={"content-type": "text/plain"})
    assert profile_handler(request, FakeLambdaContext())["statusCode"] == 200


@pytest.mark.parametrize("nested", ["[" * 10_000, '{"a":' * 5_000, "[" * 10_000 + "]" * 10_000])
@pytest.mark.parametrize("route", BODY_ROUTES, ids=ROUTE_IDS)
def test_deeply_nested_json_is_400(cognito: Outbox, route: BodyRoute, nested: str) -> None:
    assert error_of(route.send(nested, "application/json")) == (400, "malformed_request")


def test_a_5000_digit_number_is_422(asha: Account) -> None:
    body = '{"call_rate": ' + "9" * 5_000 + "}"
    assert error_of(my_patch(asha).send(body, "application/json")) == (
        422,
        "validation_failed",
    )


@pytest.mark.parametrize(
    "patch",
    [
        {"accepts_calls": 0},
        {"accepts_calls": "true"},
        {"call_rate": "1000"},
        {"call_rate": 1e3},
        {"call_rate": 2**31},
        {"call_rate": -1},
        {"name": 5},
    ],
)
def test_profile_fields_are_strictly_typed(asha: Account, patch: dict[str, Any]) -> None:
    status, body, _ = call(profile_handler, "http_api_me_patch", caller=asha.user_id, body=patch)
    assert (status, body["error"]["code"]) == (422, "validation_failed")


def test_json_numbers_and_booleans_are_accepted(asha: Account) -> None:
    patch = {"accepts_calls": True, "call_rate": 1500}
    status, profile, _ = call(profile_handler, "http_api_me_patch", caller=asha.user_id, body=patch)
    assert (status, profile["accepts_calls"], profile["call_rate"]) == (200, True, 1500)


@pytest.mark.parametrize(
    "name",
    [
        "Asha\x00Rao",
        "Asha\nRao",
        "Asha\x1b[31m",
        "\u202eoaR ahsA",
        "Asha\u2066Rao",
        "Asha\u200fRao",
        # nothing visible: a zero-width space, a byte-order mark, a Hangul filler, a mix
        "\u200b",
        "\ufeff",
        "\u3164",
        "\u200b\u3000\u3164",
    ],
)
def test_a_display_name_with_control_or_bidi_characters_is_422(
    cognito: Outbox, asha: Account, name: str
) -> None:
    status, body, _ = call(profile_handler, "http_api_me_patch", caller=asha.user_id, body={"name": name})
    assert (status, body["error"]["code"]) == (422, "validation_failed")
    status, body, _ = sign_up("bidi@example.com", name=name)
    assert (status, body["error"]["code"]) == (422, "validation_failed")


def test_a_display_name_keeps_its_letters_and_loses_surrounding_spaces(asha: Account) -> None:
    patch = {"name": "  Åsa Ñúñez 明  "}
    status, profile, _ = call(profile_handler, "http_api_me_patch", caller=asha.user_id, body=patch)
    assert (status, profile["name"]) == (200, "Åsa Ñúñez 明")


@pytest.mark.parametrize(
    "code", ["١٢٣٤٥٦", "\uff11\uff12\uff13\uff14\uff15\uff16", "12345", "12ab56", " 123456"]
)
def test_a_malformed_confirmation_code_is_422_invalid_code(cognito: Outbox, code: str) -> None:
    sign_up("asha@example.com")
    body = {"username": "asha@example.com", "code": code}
    status, answer, _ = call(auth_handler, "http_api_auth_confirm", caller=None, body=body)
    assert (status, answer["error"]["code"]) == (422, "invalid_code")


def test_a_password_is_not_stripped(cognito: Outbox) -> None:
    # Given an account whose password starts and ends with spaces
    spaced = "  " + PASSWORD + "  "
    asha = open_account(cognito, "asha@example.com", password=spaced)
    # Then only the exact password logs in
    assert log_in(asha.username, asha.device_id, password=spaced)[0] == 200
    assert log_in(asha.username, asha.device_id, password=PASSWORD)[0] == 401


def test_a_deleted_users_refresh_token_is_401(cognito: Outbox, asha: Account) -> None:
    # Given a user who logged in and then erased their account
    _, tokens, _ = log_in(asha.username, asha.device_id)
    assert call(profile_handler, "http_api_me_delete", caller=asha.user_id)[0] == 204
    # When the old refresh token is used
    status, body, _ = call(
        auth_handler, "http_api_auth_refresh", caller=None, body={"refresh_token": tokens["refresh_token"]}
    )
    # Then the session is over
    assert (status, body["error"]["code"]) == (401, "invalid_credentials")


def test_an_undecodable_base64_body_is_400(cognito: Outbox) -> None:
    request = http_event("http_api_auth_refresh", caller=None)
    request["isBase64Encoded"] = True
    request["body"] = base64.b64encode(b'{"refresh_token": "\xff"}').decode()
    response = auth_handler(request, FakeLambdaContext())
    assert (response["statusCode"], body_of(response)["error"]["code"]) == (400, "malformed_request")


@pytest.mark.parametrize(
    ("handler", "event"),
    [(wallet_handler, "http_api_wallet_transactions"), (referrals_handler, "http_api_referrals_get")],
)
def test_a_cursor_of_1536_brackets_is_400(asha: Account, handler: Any, event: str) -> None:
    cursor = base64.urlsafe_b64encode(b"[" * 1536).decode()
    status, body, _ = call(handler, event, caller=asha.user_id, query={"cursor": cursor})
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


def test_an_issued_cursor_names_no_key_and_no_user(cognito: Outbox, asha: Account) -> None:
    # Given Asha, with two entries in her history (the sign-up bonus and a referral of Bala)
    open_account(cognito, "bala@example.net", ip="203.0.113.50", referral_code=referral_code_of(asha.user_id))
    run_worker(queued_messages())
    # When she reads her history one entry at a time
    status, page, _ = call(
        wallet_handler, "http_api_wallet_transactions", caller=asha.user_id, query={"limit": "1"}
    )
    assert status == 200
    cursor = page["next_cursor"]
    sealed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    # Then the cursor reveals neither table keys nor user ids, and it still resumes her list
    assert not any(part.encode() in sealed for part in ("WALLET", "ENTRY", "history", asha.user_id))
    status, rest, _ = call(
        wallet_handler, "http_api_wallet_transactions", caller=asha.user_id, query={"cursor": cursor}
    )
    assert status == 200 and rest["items"]


@pytest.mark.parametrize("route", BODY_ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("shape", ["list of the body", "string", "number", "null"])
def test_a_body_that_is_not_an_object_is_422(cognito: Outbox, route: BodyRoute, shape: str) -> None:
    # Given a request whose JSON is valid but not an object (a list would pass as its first element)
    body = {
        "list of the body": [route.body, route.body],
        "string": "x",
        "number": 1,
        "null": None,
    }[shape]
    before = footprint()
    # Then it is refused as invalid, and nothing happens
    assert error_of(route.send(json.dumps(body), "application/json")) == (422, "validation_failed")
    assert footprint() == before


def test_confirming_an_unknown_username_looks_like_a_wrong_code(cognito: Outbox) -> None:
    # Given a username that has an account and one that has none
    sign_up("known@example.com")
    body = {"code": "123456"}
    known = call(
        auth_handler, "http_api_auth_confirm", caller=None, body={"username": "known@example.com", **body}
    )
    unknown = call(
        auth_handler, "http_api_auth_confirm", caller=None, body={"username": "nobody@example.com", **body}
    )
    # Then both answers are the same: confirmation does not tell who has an account
    assert (
        (known[0], known[1]["error"]["code"])
        == (unknown[0], unknown[1]["error"]["code"])
        == (422, "invalid_code")
    )
