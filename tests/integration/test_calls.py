"""Calls through the real handlers (Twilio webhooks, billing tick, calls API) with moto: placing a call on
a hold, signed webhooks only, per-minute billing, settlement, and who may see a call."""

from __future__ import annotations

import threading
from typing import Any

import jwt
import pytest

from functions.billing_tick import handler as billing_tick
from functions.calls import handler as calls_api
from local_runtime.resources import LOCAL_TWILIO_CREDENTIALS
from local_runtime.twilio import SimulatedTwilioApi
from tests.support.calls import (
    PUBLIC_BASE_URL,
    STATUS_URL,
    VOICE_URL,
    connection_of,
    deliver,
    dial,
    dial_params,
    leg_params,
    leg_status,
    signature,
    user,
    webhook,
)
from tests.support.events import FakeLambdaContext, body_of, event, http_event
from tests.support.faults import transaction_fails_once
from tests.support.ledger_faults import transactions_cancelled
from tests.support.presence import pushed_to
from twtc_core.calls import twilio_account
from twtc_core.calls.busy import BusyStore
from twtc_core.calls.models import CallStatus
from twtc_core.calls.service import call_id_of
from twtc_core.calls.store import CallStore
from twtc_core.ledger import EntryType, HoldStatus, Ledger
from twtc_core.ledger.reconcile import reconcile

RATE = 333  # 1,000 coins pay exactly 3 minutes (999)
SHARE = RATE * 60 // 100  # 199: the host's share, rounded down
SID = "CA5f3e0e4a2b1c4d6e8f9a0b1c2d3e4f50"


class HangUps:
    """Stands in for the simulator behind the SDK's HttpClient hook: records the REST hang-ups."""

    def __init__(self) -> None:
        self.sids: list[str] = []

    def hang_up(self, sid: str) -> None:
        self.sids.append(sid)


@pytest.fixture
def hang_ups(monkeypatch: pytest.MonkeyPatch) -> HangUps:
    recorded = HangUps()
    monkeypatch.setattr(twilio_account, "http_client", SimulatedTwilioApi(recorded))  # type: ignore[arg-type]
    return recorded


@pytest.fixture
def parties(aws: dict[str, str]) -> tuple[str, str]:
    """A connected host at RATE, and a caller with exactly 3 minutes' coins."""
    return user("caller-1", coins=1_000, connected=True), user("host-1", rate=RATE, connected=True)


def tick() -> dict[str, Any]:
    return billing_tick.lambda_handler(event("billing_tick"), FakeLambdaContext())


def entries_of(user_id: str) -> list[Any]:
    return Ledger().history(user_id, 100, None).items


def test_a_connected_host_is_dialed_until_the_held_minutes_run_out(parties: tuple[str, str]) -> None:
    caller, host = parties
    response = dial(SID, caller, host)
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "application/xml"
    assert response["body"] == (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        f'<Dial action="{STATUS_URL}" timeLimit="180"><Client statusCallback="{STATUS_URL}" '
        f'statusCallbackEvent="initiated ringing answered completed">{host}</Client></Dial></Response>'
    )
    call = CallStore().get(call_id_of(SID))
    assert call is not None and call.status is CallStatus.RINGING and call.held_minutes == 3
    assert BusyStore().busy_of((caller, host)) == {caller, host}
    assert Ledger().get_wallet(caller).available == 1
    assert Ledger().get_hold(call.hold_id).amount == 999


def test_a_retried_voice_webhook_answers_the_same_and_places_nothing_twice(parties: tuple[str, str]) -> None:
    caller, host = parties
    first = dial(SID, caller, host)
    assert dial(SID, caller, host)["body"] == first["body"]
    assert Ledger().get_wallet(caller).held == 999


@pytest.mark.parametrize(
    ("callee", "coins", "said"),
    [
        ("plain-user", 1_000, "does not take calls"),
        ("offline-host", 1_000, "not available"),
        ("caller-1", 1_000, "cannot call yourself"),
        ("host-1", RATE - 1, "enough coins"),
    ],
)
def test_a_call_that_cannot_go_ahead_is_refused_with_twiml_and_changes_nothing(
    aws: dict[str, str], callee: str, coins: int, said: str
) -> None:
    caller = user("caller-1", coins=coins)
    user("host-1", rate=RATE, connected=True)
    user("offline-host", rate=RATE)
    user("plain-user", connected=True)
    response = dial(SID, caller, callee)
    assert response["statusCode"] == 200
    assert said in response["body"] and "<Dial" not in response["body"]
    assert CallStore().get(call_id_of(SID)) is None
    assert BusyStore().busy_of((caller, callee)) == frozenset()
    assert Ledger().get_wallet(caller).held == 0


def test_two_callers_dialing_one_host_at_the_same_moment_get_exactly_one_call(aws: dict[str, str]) -> None:
    host = user("host-1", rate=RATE, connected=True)
    callers = [user(f"caller-{n}", coins=1_000) for n in range(2)]
    answers: list[str] = []
    start = threading.Barrier(len(callers))

    def call(n: int) -> None:
        start.wait()
        answers.append(dial(f"CA{n:032d}", callers[n], host)["body"])

    threads = [threading.Thread(target=call, args=(n,)) for n in range(len(callers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted("<Dial" in answer for answer in answers) == [False, True]
    assert sum(Ledger().get_wallet(caller).held for caller in callers) == 999


FORGERIES = {
    "no signature": {"signature_header": ""},
    "wrong signature": {"signature_header": "bm90IGEgc2lnbmF0dXJlIGF0IGFsbA=="},
    "signed for the stage-prefixed URL": {"signed_for": f"{PUBLIC_BASE_URL}/prod/webhooks/twilio/voice"},
    "signed for the API Gateway domain": {
        "signed_for": "https://abc123defg.execute-api.us-east-1.amazonaws.com/webhooks/twilio/voice"
    },
}


@pytest.mark.parametrize("forgery", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_forged_voice_webhook_is_403_and_changes_nothing(parties: tuple[str, str], forgery: Any) -> None:
    caller, host = parties
    response = deliver(webhook("/webhooks/twilio/voice", dial_params(SID, caller, host), **forgery))
    assert response["statusCode"] == 403
    assert body_of(response)["error"]["code"] == "invalid_signature"
    assert CallStore().get(call_id_of(SID)) is None
    assert Ledger().get_wallet(caller).held == 0


def test_a_tampered_parameter_or_status_callback_is_403_and_changes_nothing(parties: tuple[str, str]) -> None:
    caller, host = parties
    params = dial_params(SID, caller, host)
    tampered = webhook("/webhooks/twilio/voice", params)
    tampered["headers"]["x-twilio-signature"] = signature(VOICE_URL, {**params, "To": "someone-else"})
    assert deliver(tampered)["statusCode"] == 403
    dial(SID, caller, host)
    completed = leg_params(SID, "completed", 60)
    forged = webhook("/webhooks/twilio/status", completed, signed_for=VOICE_URL)
    assert deliver(forged)["statusCode"] == 403
    assert CallStore().get(call_id_of(SID)).status is CallStatus.RINGING  # type: ignore[union-attr]


def test_the_query_string_twilio_called_is_part_of_what_it_signed(parties: tuple[str, str]) -> None:
    caller, host = parties
    request = webhook("/webhooks/twilio/voice", dial_params(SID, caller, host), raw_query="attempt=2")
    assert "<Dial" in deliver(request)["body"]


def test_a_call_hung_up_after_2_min_10_s_charges_exactly_3_minutes_and_releases_the_rest(
    aws: dict[str, str], clock: Any
) -> None:
    caller = user("caller-1", coins=5_000)
    host = user("host-1", rate=RATE, connected=True)
    dial(SID, caller, host)
    leg_status(SID, "in-progress")
    clock.advance(130)
    for _ in range(3):  # Twilio retries; and the Dial action reports the same end
        assert leg_status(SID, "completed", 130)["statusCode"] == 200
    call = CallStore().get(call_id_of(SID))
    assert call is not None and call.status is CallStatus.ENDED
    assert (call.billed_minutes, call.charged, call.duration_seconds) == (3, 999, 130)
    assert Ledger().get_wallet(caller).balance == 5_000 - 999
    assert Ledger().get_wallet(caller).held == 0
    assert Ledger().get_hold(call.hold_id).status is HoldStatus.CLOSED
    earnings = [entry for entry in entries_of(host) if entry.type is EntryType.CALL_EARNING]
    assert sorted(entry.amount for entry in earnings) == [SHARE] * 3
    assert BusyStore().busy_of((caller, host)) == frozenset()
    assert [m["type"] for m in pushed_to(connection_of(host)) if m["type"] == "call.ended"] == ["call.ended"]
    assert reconcile().ok


def test_a_status_callback_for_an_unknown_call_is_acknowledged(aws: dict[str, str]) -> None:
    response = leg_status("CA00000000000000000000000000000bad", "completed", 30)
    assert response["statusCode"] == 200 and response["body"].endswith("<Response />")


def test_the_tick_bills_started_minutes_warns_the_caller_and_hangs_up_when_the_hold_is_spent(
    parties: tuple[str, str], clock: Any, hang_ups: HangUps
) -> None:
    caller, host = parties
    dial(SID, caller, host)
    leg_status(SID, "in-progress")
    clock.advance(61)
    assert tick() == {"active_calls": 1, "minutes_charged": 2, "hung_up": 0}
    assert tick()["minutes_charged"] == 0  # a second tick in the same minute charges nothing
    clock.advance(60)
    assert tick() == {"active_calls": 1, "minutes_charged": 1, "hung_up": 0}
    assert Ledger().get_wallet(caller).available == 1
    clock.advance(60)
    assert tick() == {"active_calls": 1, "minutes_charged": 0, "hung_up": 1}
    assert hang_ups.sids == [SID]
    types = [message["type"] for message in pushed_to(connection_of(caller))]
    assert types.count("call.low_balance") == 1 and types.count("call.tick") == 4
    ticks = [m for m in pushed_to(connection_of(host)) if m["type"] == "call.tick"]
    assert ticks[-1]["minutes_charged"] == 3 and ticks[-1]["charged"] == 999
    leg_status(SID, "completed", 180)
    assert Ledger().get_wallet(caller).balance == 1
    assert reconcile().ok


def test_the_calls_api_shows_a_call_to_its_parties_only(parties: tuple[str, str]) -> None:
    caller, host = parties
    dial(SID, caller, host)
    call_id = call_id_of(SID)
    for party in (caller, host):
        listed = api_call("GET", "/v1/calls", "/v1/calls", party)
        assert [item["call_id"] for item in body_of(listed)["items"]] == [call_id]
    mine = get_call(caller, call_id)
    assert mine["statusCode"] == 200 and body_of(mine)["status"] == "RINGING"
    assert get_call("stranger", call_id)["statusCode"] == 404
    assert get_call(caller, "no-such-call")["statusCode"] == 404


def api_call(method: str, route: str, path: str, user_id: str) -> dict[str, Any]:
    request = http_event("http_api_wallet_get", caller=user_id, path=path)
    request["routeKey"] = f"{method} {route}"
    request["requestContext"]["http"]["method"] = method
    return calls_api.lambda_handler(request, FakeLambdaContext())


def get_call(user_id: str, call_id: str) -> dict[str, Any]:
    return api_call("GET", "/v1/calls/{id}", f"/v1/calls/{call_id}", user_id)


def test_a_voice_token_lets_the_caller_dial_through_our_twiml_app(aws: dict[str, str], clock: Any) -> None:
    response = api_call("POST", "/v1/calls/token", "/v1/calls/token", "caller-1")
    assert response["statusCode"] == 200, response
    token = body_of(response)["token"]
    claims = jwt.decode(
        token,
        LOCAL_TWILIO_CREDENTIALS["api_key_secret"],
        algorithms=["HS256"],
        options={"verify_nbf": False, "verify_exp": False},
    )
    assert claims["grants"]["identity"] == "caller-1"
    assert claims["grants"]["voice"] == {
        "incoming": {"allow": True},
        "outgoing": {"application_sid": LOCAL_TWILIO_CREDENTIALS["twiml_app_sid"]},
    }
    assert claims["nbf"] == int(clock.now().timestamp())
    assert body_of(response)["identity"] == "caller-1"


@pytest.mark.parametrize("failing", ["BUSY claim", "ledger hold"])
def test_a_failure_midway_undoes_what_was_placed_and_answers_say(
    parties: tuple[str, str], failing: str
) -> None:
    caller, host = parties
    fault = (
        transaction_fails_once()
        if failing == "BUSY claim"
        else transactions_cancelled(["ValidationError"], 1)
    )
    with fault:
        response = dial(SID, caller, host)
    assert "<Say>" in response["body"] and "<Dial" not in response["body"]
    assert BusyStore().busy_of((caller, host)) == frozenset()
    assert Ledger().get_wallet(caller).held == 0
    call = CallStore().get(call_id_of(SID))
    if failing == "BUSY claim":
        assert call is None  # nothing was logged: a retry of the same CallSid starts afresh
    else:  # logged, then undone
        assert call is not None and (call.status, call.end_reason) == (CallStatus.ENDED, "setup_failed")
