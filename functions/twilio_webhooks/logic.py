"""Twilio webhook rules: only what Twilio signed is believed; its parameters become call decisions.

Twilio signs the exact URL it called: our public base URL (CloudFront or a custom domain) plus the route
and the raw query string. The URL is rebuilt from those, never from the event's path, which API Gateway
stages and custom domains change (the classic reason valid callbacks are refused, or forged ones
accepted for another URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from twtc_core.calls.service import CallEvent, CallService, Dial, Refusal
from twtc_core.calls.twilio_account import TwilioAccount
from twtc_core.errors import Forbidden, MalformedRequest

ANSWERED = frozenset({"in-progress", "answered"})
FINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
CLIENT_PREFIX = "client:"


class InvalidSignature(Forbidden):
    code = "invalid_signature"


@dataclass(frozen=True)
class TwilioRequest:
    url: str  # the public URL Twilio called, as it signed it
    params: dict[str, str]
    signature: str


def public_url(base_url: str, route: str, raw_query: str) -> str:
    return f"{base_url.rstrip('/')}{route}{'?' + raw_query if raw_query else ''}"


def verified(account: TwilioAccount, request: TwilioRequest) -> dict[str, str]:
    if not account.is_signed(request.url, request.params, request.signature):
        raise InvalidSignature("The request is not signed by Twilio for this URL.")
    return request.params


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name, "")
    if not value:
        raise MalformedRequest(f"{name} is missing.")
    return value


def _seconds(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def place_call(
    service: CallService, account: TwilioAccount, request: TwilioRequest, now: datetime
) -> Dial | Refusal:
    """The caller's Device dialed: From is `client:<caller>`, To the host (a user id)."""
    params = verified(account, request)
    caller = _required(params, "From").removeprefix(CLIENT_PREFIX)
    callee = _required(params, "To").removeprefix(CLIENT_PREFIX)
    return service.place(_required(params, "CallSid"), caller, callee, now)


def call_event(params: dict[str, str]) -> tuple[str, CallEvent]:
    """The parent call's sid and what happened. The Dial action (DialCallStatus) reports the dial's end;
    the <Client> leg's status callbacks carry its own sid and the parent's as ParentCallSid."""
    if "DialCallStatus" in params:
        status = params["DialCallStatus"]
        reason = "completed" if status in ANSWERED | {"completed"} else status
        return _required(params, "CallSid"), CallEvent(
            "ended", reason, _seconds(params.get("DialCallDuration"))
        )
    sid = params.get("ParentCallSid") or _required(params, "CallSid")
    status = params.get("CallStatus", "")
    if status in ANSWERED:
        return sid, CallEvent("answered")
    if status in FINAL:
        return sid, CallEvent("ended", status, _seconds(params.get("CallDuration")))
    return sid, CallEvent("progress")


def follow_call(service: CallService, account: TwilioAccount, request: TwilioRequest, now: datetime) -> None:
    call_sid, event = call_event(verified(account, request))
    service.follow(call_sid, event, now)
