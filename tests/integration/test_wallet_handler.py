"""The wallet Lambda through its real entry point, with API Gateway HTTP API events."""

from __future__ import annotations

from typing import Any

import pytest

from functions.wallet.handler import lambda_handler
from tests.support.events import FakeLambdaContext, body_of, http_event
from twtc_core.ledger import EntryType, Ledger, PlatformAccount
from twtc_core.pagination import encode_cursor

ALICE = "6f1c9a2e-1111-4a5b-9c3d-00000000000a"
BOB = "6f1c9a2e-1111-4a5b-9c3d-00000000000b"


@pytest.fixture
def handler(aws: dict[str, str]) -> Any:
    return lambda_handler


@pytest.fixture
def alice_wallet(aws: dict[str, str], clock: Any) -> Ledger:
    ledger = Ledger()
    ledger.open_wallet(ALICE)
    ledger.credit(
        entry_id=f"signup:{ALICE}",
        user_id=ALICE,
        amount=1000,
        entry_type=EntryType.SIGNUP_BONUS,
        description="Welcome bonus",
    )
    for minute in (1, 2, 3):
        clock.advance(60)
        ledger.debit(
            entry_id=f"call:c1:min:{minute}",
            user_id=ALICE,
            amount=100,
            entry_type=EntryType.CALL_CHARGE,
            description=f"Call minute {minute}",
            destination=PlatformAccount.CALL_REVENUE,
        )
    ledger.hold(hold_id="call:c2", user_id=ALICE, amount=200, purpose=EntryType.CALL_CHARGE)
    return ledger


def call(handler: Any, name: str, **kwargs: Any) -> tuple[int, Any]:
    response = handler(http_event(name, **kwargs), FakeLambdaContext())
    return response["statusCode"], body_of(response)


def test_get_wallet_shows_balance_held_and_available(handler: Any, alice_wallet: Ledger) -> None:
    status, body = call(handler, "http_api_wallet_get", caller=ALICE)
    assert status == 200
    assert body == {
        "balance": 700,
        "held": 200,
        "available": 500,
        "total_earned": 1000,
        "total_spent": 300,
        "currency": "TWTC",
        "decimals": 2,
    }


def test_transactions_are_newest_first_with_cursor_pagination(handler: Any, alice_wallet: Ledger) -> None:
    status, first = call(handler, "http_api_wallet_transactions", caller=ALICE, query={"limit": "2"})
    assert status == 200
    assert [(t["id"], t["amount"], t["balance_after"]) for t in first["items"]] == [
        ("call:c1:min:3", -100, 700),
        ("call:c1:min:2", -100, 800),
    ]
    pages, cursor = [first["items"]], first["next_cursor"]
    while cursor:
        status, page = call(
            handler, "http_api_wallet_transactions", caller=ALICE, query={"limit": "2", "cursor": cursor}
        )
        assert status == 200
        pages.append(page["items"])
        cursor = page["next_cursor"]
    assert [t["type"] for page in pages for t in page] == ["CALL_CHARGE"] * 3 + ["SIGNUP_BONUS"]


def test_default_page_is_twenty(handler: Any, alice_wallet: Ledger) -> None:
    status, body = call(handler, "http_api_wallet_transactions", caller=ALICE, query={})
    assert status == 200 and len(body["items"]) == 4 and body["next_cursor"] is None


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_limit_out_of_range_is_422_with_the_spec_error_body(
    handler: Any, alice_wallet: Ledger, limit: str
) -> None:
    status, body = call(handler, "http_api_wallet_transactions", caller=ALICE, query={"limit": limit})
    assert status == 422
    assert body["error"]["code"] == "validation_failed"
    assert body["error"]["details"]["problems"][0]["location"] == "query.limit"


def test_a_forged_cursor_is_400(handler: Any, alice_wallet: Ledger) -> None:
    status, body = call(
        handler, "http_api_wallet_transactions", caller=ALICE, query={"cursor": "not-a-cursor!"}
    )
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


@pytest.mark.parametrize(
    "key",
    [
        {"history_pk": "x"},
        {"history_pk": {"S": f"WALLET#{ALICE}"}},
        {"history_pk": {"S": f"WALLET#{ALICE}"}, "pk": 1},
    ],
)
def test_a_crafted_cursor_is_400_not_500(handler: Any, alice_wallet: Ledger, key: dict[str, Any]) -> None:
    status, body = call(
        handler, "http_api_wallet_transactions", caller=ALICE, query={"cursor": encode_cursor(key)}
    )
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


def test_another_users_cursor_does_not_reveal_their_history(handler: Any, alice_wallet: Ledger) -> None:
    alice_wallet.open_wallet(BOB)
    _, page = call(handler, "http_api_wallet_transactions", caller=ALICE, query={"limit": "1"})
    status, body = call(
        handler, "http_api_wallet_transactions", caller=BOB, query={"cursor": page["next_cursor"]}
    )
    assert (status, body["error"]["code"]) == (400, "invalid_cursor")


def test_a_caller_without_a_wallet_gets_404_not_someone_elses(handler: Any, alice_wallet: Ledger) -> None:
    status, body = call(handler, "http_api_wallet_get", caller=BOB)
    assert (status, body["error"]["code"]) == (404, "wallet_not_found")
    status, body = call(handler, "http_api_wallet_transactions", caller=BOB)
    assert (status, body["error"]["code"]) == (404, "wallet_not_found")


def test_no_verified_caller_is_401(handler: Any, alice_wallet: Ledger) -> None:
    status, body = call(handler, "http_api_wallet_get", caller=None)
    assert (status, body["error"]["code"]) == (401, "unauthorized")


def test_unknown_route_is_404_with_the_spec_error_body(handler: Any, alice_wallet: Ledger) -> None:
    status, body = call(handler, "http_api_wallet_get", caller=ALICE, path="/v1/wallet/nope")
    assert (status, body["error"]["code"]) == (404, "not_found")
