"""Audio calls over HTTP and WebSocket against the local runtime, with its Twilio simulator: a call billed
minute by minute until the held coins run out, a hang-up mid-minute, a race for one host, forged
webhooks, and calls only their parties see."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.e2e.conftest import Runtime, registered_user

RECEIVE_TIMEOUT_SECONDS = 10
RATE = 333  # the sign-up bonus (1,000) pays exactly 3 minutes


class Party:
    """A signed-up user with an open WebSocket, keeping every message it receives."""

    def __init__(self, api: httpx.Client, runtime: Runtime, stack: ExitStack, email: str) -> None:
        self.token = registered_user(api, email)
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.api = api
        self.id = str(api.get("/v1/me", headers=self.headers).json()["id"])
        self.socket: ClientConnection = stack.enter_context(connect(f"{runtime.ws_url}?token={self.token}"))
        self.received: list[dict[str, Any]] = []

    def watch(self, *user_ids: str) -> None:
        self.socket.send(json.dumps({"action": "subscribe", "user_ids": list(user_ids)}))
        for user_id in user_ids:
            self.next("presence", user_id=user_id)

    def next(self, kind: str, **fields: Any) -> dict[str, Any]:
        """The next message of this type (and these fields), keeping the ones before it."""
        while True:
            message = json.loads(self.socket.recv(timeout=RECEIVE_TIMEOUT_SECONDS))
            self.received.append(message)
            if message["type"] == kind and all(message.get(k) == v for k, v in fields.items()):
                return message

    def wallet(self) -> dict[str, Any]:
        return dict(self.api.get("/v1/wallet", headers=self.headers).json())

    def entries_add_up(self) -> bool:
        entries = self.api.get("/v1/wallet/transactions", params={"limit": 100}, headers=self.headers).json()
        return sum(entry["amount"] for entry in entries["items"]) == self.wallet()["balance"]


@pytest.fixture
def sockets() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


def become_host(host: Party, rate: int) -> None:
    response = host.api.patch("/v1/me", json={"accepts_calls": True, "call_rate": rate}, headers=host.headers)
    assert response.status_code == 200, response.text


def advance(api: httpx.Client, seconds: int) -> list[str]:
    return list(api.post("/_local/clock", json={"advance_seconds": seconds}).json()["ran"])


def test_a_call_is_billed_minute_by_minute_and_ended_when_the_held_coins_run_out(
    runtime: Runtime, api: httpx.Client, sockets: ExitStack
) -> None:
    # Given a connected host at 333 a minute and a caller whose 1,000 coins pay exactly 3 minutes
    host = Party(api, runtime, sockets, "calls-host@example.com")
    caller = Party(api, runtime, sockets, "calls-caller@example.com")
    become_host(host, RATE)
    host.watch(caller.id)
    caller.watch(host.id)
    # When the caller dials
    dialed = api.post("/_local/twilio/calls", json={"from_user_id": caller.id, "to_user_id": host.id}).json()
    assert dialed["status"] == "ringing" and 'timeLimit="180"' in dialed["twiml"]
    # Then both are BUSY, and the call starts when the host answers
    assert caller.next("presence", user_id=host.id)["status"] == "BUSY"
    assert host.next("presence", user_id=caller.id)["status"] == "BUSY"
    assert api.post(f"/_local/twilio/calls/{dialed['call_sid']}/answer").status_code == 200
    started = [party.next("call.started") for party in (caller, host)]
    assert started[0] == started[1] and started[0]["rate"] == RATE
    # When the clock moves on minute by minute (past the 3 held minutes), each started minute is charged
    for _ in range(4):
        advance(api, 60)
        assert caller.wallet()["available"] >= 0
    ended = caller.next("call.ended")
    assert (ended["minutes"], ended["charged"], ended["earned"]) == (3, 999, 3 * 199)
    assert any(message["type"] == "call.low_balance" for message in caller.received)
    assert [m["minutes_charged"] for m in caller.received if m["type"] == "call.tick"][-1] == 3
    host.next("call.ended")
    # Then both are ONLINE again, the money moved exactly, and each wallet equals its entries
    assert caller.next("presence", user_id=host.id)["status"] == "ONLINE"
    assert host.next("presence", user_id=caller.id)["status"] == "ONLINE"
    assert caller.wallet()["balance"] == caller.wallet()["available"] == 1
    assert host.wallet()["balance"] == 1_000 + 3 * 199
    assert caller.entries_add_up() and host.entries_add_up()
    call = api.get(f"/v1/calls/{started[0]['call_id']}", headers=caller.headers).json()
    assert (call["status"], call["billed_minutes"], call["charged"]) == ("ENDED", 3, 999)


def test_one_host_two_callers_a_mid_minute_hang_up_forged_webhooks_and_other_peoples_calls(
    runtime: Runtime, api: httpx.Client, sockets: ExitStack
) -> None:
    host = Party(api, runtime, sockets, "race-host@example.com")
    callers = [Party(api, runtime, sockets, f"race-caller-{n}@example.com") for n in range(2)]
    become_host(host, 100)
    # Two callers dial the host at the same moment: exactly one call is dialed
    answers: list[dict[str, Any]] = []
    start = threading.Barrier(2)

    def dial(caller: Party) -> None:
        start.wait()
        with runtime.client() as client:
            body = {"from_user_id": caller.id, "to_user_id": host.id}
            answers.append(client.post("/_local/twilio/calls", json=body).json())

    threads = [threading.Thread(target=dial, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer["status"] for answer in answers) == ["rejected", "ringing"]
    sid = next(answer["call_sid"] for answer in answers if answer["status"] == "ringing")
    # A forged status callback changes nothing: no signature, or one made for another URL
    forged = {"CallSid": "CAforged", "ParentCallSid": sid, "CallStatus": "completed", "CallDuration": "1"}
    for signature in ("", "c2lnbmVkIGZvciBzb21ldGhpbmcgZWxzZQ=="):
        response = api.post("/webhooks/twilio/status", data=forged, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 403
    # A call hung up after 2 min 10 s charges exactly 3 minutes and releases the rest of the hold
    api.post(f"/_local/twilio/calls/{sid}/answer")
    caller = next(c for c in callers if c.wallet()["held"])
    advance(api, 130)
    # (the local clock also runs in real time: the seconds this test takes are added)
    assert 130 <= api.post(f"/_local/twilio/calls/{sid}/hangup").json()["duration_seconds"] < 180
    ended = caller.next("call.ended")
    assert (ended["minutes"], ended["charged"]) == (3, 300)
    assert caller.wallet() | {"balance": 700, "held": 0, "available": 700} == caller.wallet()
    # A call is its parties' only
    outsider = next(c for c in callers if c is not caller)
    assert api.get(f"/v1/calls/{ended['call_id']}", headers=outsider.headers).status_code == 404
    listed = api.get("/v1/calls", headers=host.headers).json()["items"]
    assert [item["call_id"] for item in listed] == [ended["call_id"]]
