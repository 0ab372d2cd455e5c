"""Calls API rules: a Voice token for the caller, and calls seen only by their parties."""

from __future__ import annotations

from datetime import datetime

from functions.calls.models import CallOut, CallPageOut, VoiceTokenOut
from twtc_core.calls.store import CallStore
from twtc_core.calls.twilio_account import TwilioAccount
from twtc_core.errors import NotFound


class CallNotFound(NotFound):
    code = "call_not_found"


def voice_token(account: TwilioAccount, user_id: str, now: datetime) -> VoiceTokenOut:
    token = account.voice_token(user_id, now)
    return VoiceTokenOut(token=token.token, identity=token.identity, expires_at=token.expires_at)


def my_calls(calls: CallStore, user_id: str, limit: int, cursor: str | None) -> CallPageOut:
    page = calls.calls_of(user_id, limit, cursor)
    return CallPageOut(items=[CallOut.from_call(call) for call in page.items], next_cursor=page.next_cursor)


def my_call(calls: CallStore, user_id: str, call_id: str) -> CallOut:
    """Another user's call is indistinguishable from one that does not exist."""
    call = calls.get(call_id)
    if call is None or not call.is_party(user_id):
        raise CallNotFound("No such call.")
    return CallOut.from_call(call)
