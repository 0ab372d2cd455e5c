"""The Twilio simulator (spec §11): behaves like Twilio towards our webhooks, and nothing reaches the
internet.

  POST /_local/twilio/calls {"from_user_id", "to_user_id"}
        the caller's Device dials the host: the signed voice webhook goes through the gateway as Twilio
        sends it; answers {"call_sid", "twiml", "status": "ringing" | "rejected"}
  POST /_local/twilio/calls/{sid}/answer   the host picks up: the signed `in-progress` status callback
  POST /_local/twilio/calls/{sid}/hangup   either party hangs up: `completed` (with the duration on the
        local clock) for the host's leg, then the Dial action, as Twilio sends both

Like Twilio it ends a call at its Dial `timeLimit` (checked each minute on the local clock; the duration
reported is the limit, as Twilio's is), and it receives our REST hang-up (`calls(sid).update(status=
"completed")`) through the twilio SDK's own HttpClient hook, then sends the completed callbacks.
Every request is signed with the local auth token by the SDK's own RequestValidator algorithm.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator

from local_runtime.lambdas import LocalFunction
from local_runtime.resources import LOCAL_TWILIO_CREDENTIALS
from twtc_core.calls import twilio_account
from twtc_core.clock import CLOCK

if TYPE_CHECKING:
    from local_runtime.platform import LocalPlatform

VOICE_ROUTE = "/webhooks/twilio/voice"
# Twilio's requests reach CloudFront from Twilio's own addresses, not from a user's.
TWILIO_VIEWER = "54.172.60.1:443"
ACCOUNT_SID = LOCAL_TWILIO_CREDENTIALS["account_sid"]
CALL_SID_IN_URL = re.compile(r"/Calls/(CA[0-9a-f]{32})\.json$")


def new_call_sid() -> str:
    return f"CA{uuid.uuid4().hex}"


@dataclass
class SimulatedCall:
    sid: str
    leg_sid: str  # the host's <Client> leg: its status callbacks carry ParentCallSid = sid
    caller_id: str
    host_id: str
    time_limit_seconds: int
    action_url: str
    status_url: str
    answered_at: datetime | None = None
    done: bool = False


class TwilioSimulator:
    def __init__(self, gateway_url: str, public_base_url: str) -> None:
        self._gateway_url = gateway_url.rstrip("/")
        self._public_base_url = public_base_url.rstrip("/")
        self._validator = RequestValidator(LOCAL_TWILIO_CREDENTIALS["auth_token"])
        self._calls: dict[str, SimulatedCall] = {}
        self._lock = threading.Lock()

    # --- what Twilio sends ----------------------------------------------------------------------
    def _post(self, public_url: str, params: dict[str, str]) -> httpx.Response:
        """POST the form to our gateway, signed for the public URL Twilio would have called."""
        path = public_url.removeprefix(self._public_base_url)
        with httpx.Client(base_url=self._gateway_url, timeout=30) as client:
            return client.post(
                path,
                data=params,
                headers={
                    "X-Twilio-Signature": self._validator.compute_signature(public_url, params),
                    "CloudFront-Viewer-Address": TWILIO_VIEWER,
                    "User-Agent": "TwilioProxy/1.1",
                },
            )

    def dial(self, caller_id: str, host_id: str) -> dict[str, Any]:
        sid = new_call_sid()
        answer = self._post(
            f"{self._public_base_url}{VOICE_ROUTE}",
            {
                "AccountSid": ACCOUNT_SID,
                "ApiVersion": "2010-04-01",
                "ApplicationSid": LOCAL_TWILIO_CREDENTIALS["twiml_app_sid"],
                "CallSid": sid,
                "CallStatus": "ringing",
                "Direction": "inbound",
                "From": f"client:{caller_id}",
                "Caller": f"client:{caller_id}",
                "To": host_id,
            },
        )
        dial = _dial_of(answer.text) if answer.status_code == 200 else None
        if dial is None:
            return {"call_sid": sid, "twiml": answer.text, "status": "rejected"}
        time_limit, action_url, status_url = dial
        with self._lock:
            self._calls[sid] = SimulatedCall(
                sid, new_call_sid(), caller_id, host_id, time_limit, action_url, status_url
            )
        return {"call_sid": sid, "twiml": answer.text, "status": "ringing"}

    def answer(self, sid: str) -> dict[str, Any] | None:
        with self._lock:
            call = self._calls.get(sid)
            if call is None or call.done or call.answered_at is not None:
                return None
            call.answered_at = CLOCK.now()
        self._post(call.status_url, self._leg_params(call, "in-progress"))
        return {"call_sid": sid, "status": "in-progress"}

    def hang_up(self, sid: str, duration_cap: int | None = None) -> dict[str, Any] | None:
        """End the call as Twilio does: the host leg's final status callback, then the Dial action."""
        with self._lock:
            call = self._calls.get(sid)
            if call is None or call.done:
                return None
            call.done = True
        if call.answered_at is None:
            status, duration = "canceled", 0
        else:
            status = "completed"
            duration = int((CLOCK.now() - call.answered_at).total_seconds())
            duration = min(duration, duration_cap if duration_cap is not None else duration)
        self._post(call.status_url, {**self._leg_params(call, status), "CallDuration": str(duration)})
        self._post(
            call.action_url,
            {
                "AccountSid": ACCOUNT_SID,
                "CallSid": call.sid,
                "CallStatus": "in-progress",
                "DialCallSid": call.leg_sid,
                "DialCallStatus": status,
                "DialCallDuration": str(duration),
            },
        )
        return {"call_sid": sid, "status": status, "duration_seconds": duration}

    def enforce_time_limits(self, _event: Any = None, _context: Any = None) -> dict[str, Any]:
        """End every answered call whose Dial timeLimit has passed on the local clock."""
        now = CLOCK.now()
        with self._lock:
            expired = [
                call
                for call in self._calls.values()
                if not call.done
                and call.answered_at is not None
                and (now - call.answered_at).total_seconds() >= call.time_limit_seconds
            ]
        for call in expired:
            self.hang_up(call.sid, duration_cap=call.time_limit_seconds)
        return {"ended": [call.sid for call in expired]}

    def _leg_params(self, call: SimulatedCall, status: str) -> dict[str, str]:
        return {
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "CallSid": call.leg_sid,
            "ParentCallSid": call.sid,
            "CallStatus": status,
            "Direction": "outbound-dial",
            "From": f"client:{call.caller_id}",
            "To": f"client:{call.host_id}",
        }

    # --- the local controls ---------------------------------------------------------------------
    def routes(self) -> list[Route]:
        async def dial(request: Request) -> Response:
            try:
                payload = json.loads(await request.body())
                caller, host = str(payload["from_user_id"]), str(payload["to_user_id"])
            except (ValueError, KeyError, TypeError):
                return _refused('Send {"from_user_id": ..., "to_user_id": ...}.')
            return JSONResponse(await run_in_threadpool(self.dial, caller, host))

        async def answer(request: Request) -> Response:
            return _found(await run_in_threadpool(self.answer, request.path_params["sid"]))

        async def hang_up(request: Request) -> Response:
            return _found(await run_in_threadpool(self.hang_up, request.path_params["sid"]))

        return [
            Route("/_local/twilio/calls", dial, methods=["POST"]),
            Route("/_local/twilio/calls/{sid}/answer", answer, methods=["POST"]),
            Route("/_local/twilio/calls/{sid}/hangup", hang_up, methods=["POST"]),
        ]


class SimulatedTwilioApi(HttpClient):  # type: ignore[misc]
    """The twilio SDK's HTTP hook: our REST requests reach the simulator, never api.twilio.com."""

    def __init__(self, simulator: TwilioSimulator) -> None:
        super().__init__(logger=None, is_async=False)
        self._simulator = simulator
        self.requests: list[dict[str, Any]] = []

    def request(  # noqa: PLR0917 (the SDK's own signature)
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        self.requests.append({"method": method, "url": url, "data": dict(data or {})})
        found = CALL_SID_IN_URL.search(url)
        if method != "POST" or found is None or (data or {}).get("Status") != "completed":
            return TwilioResponse(404, json.dumps({"code": 20404, "message": "Not found", "status": 404}))
        self._simulator.hang_up(found.group(1))
        return TwilioResponse(200, json.dumps({"sid": found.group(1), "status": "completed"}))


def _dial_of(twiml: str) -> tuple[int, str, str] | None:
    """(timeLimit, Dial action, Client statusCallback) of a TwiML answer that dials, else None."""
    try:
        dial = ElementTree.fromstring(twiml).find("Dial")
    except ElementTree.ParseError:
        return None
    client = dial.find("Client") if dial is not None else None
    if dial is None or client is None:
        return None
    return int(dial.get("timeLimit", "14400")), dial.get("action", ""), client.get("statusCallback", "")


def _found(result: dict[str, Any] | None) -> Response:
    if result is None:
        return JSONResponse(
            {"error": {"code": "not_found", "message": "No such call in progress.", "details": {}}},
            status_code=404,
        )
    return JSONResponse(result)


def _refused(message: str) -> Response:
    return JSONResponse(
        {"error": {"code": "validation_failed", "message": message, "details": {}}}, status_code=422
    )


def install(platform: LocalPlatform) -> TwilioSimulator:
    """The simulator at the platform's public URL: the SDK's REST requests go to it, and its time-limit
    check runs with the schedules on the local clock."""
    simulator = TwilioSimulator(platform.url, platform.env["PUBLIC_BASE_URL"])
    twilio_account.http_client = SimulatedTwilioApi(simulator)
    platform.scheduler.add(
        "twilio-time-limits",
        "rate(1 minute)",
        LocalFunction("twilio_simulator", simulator.enforce_time_limits),
    )
    return simulator
