"""Calls under test: hosts and callers with wallets, and Twilio's webhooks as API Gateway delivers them,
signed (or not) the way Twilio signs."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from functions.twilio_webhooks import handler as webhooks
from infra_cdk.wiring import SETTINGS
from local_runtime.resources import LOCAL_TWILIO_CREDENTIALS
from tests.support.events import FakeLambdaContext, http_event
from tests.support.ledger import credit
from tests.support.presence import open_tab
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import utc_now
from twtc_core.dynamo import Transaction
from twtc_core.ledger import Ledger

PUBLIC_BASE_URL = str(SETTINGS["PUBLIC_BASE_URL"])
VOICE_URL = f"{PUBLIC_BASE_URL}/webhooks/twilio/voice"
STATUS_URL = f"{PUBLIC_BASE_URL}/webhooks/twilio/status"


def signature(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(LOCAL_TWILIO_CREDENTIALS["auth_token"]).compute_signature(url, params))


def user(user_id: str, *, coins: int = 0, rate: int | None = None, connected: bool = False) -> str:
    """A user with a wallet holding `coins`; a host (accepts calls at `rate`) when a rate is given."""
    writes = Transaction()
    ProfileStore().create_with(
        writes,
        user_id,
        name=user_id,
        email=None,
        phone=None,
        call_rate=rate or int(SETTINGS["CALL_RATE_PER_MINUTE"]),
        referred_with_code=None,
        signup_device_id=None,
        signup_ip=None,
        email_identity=None,
        created_at=utc_now().isoformat(),
    )
    writes.commit()
    if rate is not None:
        ProfileStore().update(user_id, {"accepts_calls": True})
    ledger = Ledger()
    ledger.open_wallet(user_id)
    if coins:
        credit(ledger, f"gift:{user_id}", user_id, coins)
    if connected:
        open_tab(connection_of(user_id), user_id)
    return user_id


def connection_of(user_id: str) -> str:
    """The user's one connection, shaped like API Gateway's ids (base64, ending in `=`)."""
    return f"{user_id}Conn="


def webhook(
    route: str,
    params: dict[str, str],
    *,
    signed_for: str | None = None,
    signature_header: str | None = None,
    raw_query: str = "",
) -> dict[str, Any]:
    """Twilio's POST as the handler receives it: form body (base64, as API Gateway passes forms), signed
    for `signed_for` (default: the public URL of the route)."""
    name = "twilio_voice" if route.endswith("voice") else "twilio_status"
    request = http_event(name, caller=None)
    request["body"] = base64.b64encode(urlencode(params).encode()).decode()
    request["rawQueryString"] = raw_query
    url = signed_for or f"{PUBLIC_BASE_URL}{route}{'?' + raw_query if raw_query else ''}"
    request["headers"]["x-twilio-signature"] = (
        signature_header if signature_header is not None else signature(url, params)
    )
    return request


def deliver(request: dict[str, Any]) -> dict[str, Any]:
    return webhooks.lambda_handler(request, FakeLambdaContext())


def dial_params(call_sid: str, caller: str, host: str) -> dict[str, str]:
    return {
        "AccountSid": LOCAL_TWILIO_CREDENTIALS["account_sid"],
        "CallSid": call_sid,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "From": f"client:{caller}",
        "To": host,
    }


def leg_params(call_sid: str, status: str, duration: int | None = None) -> dict[str, str]:
    params = {
        "AccountSid": LOCAL_TWILIO_CREDENTIALS["account_sid"],
        "CallSid": f"{call_sid}-leg",
        "ParentCallSid": call_sid,
        "CallStatus": status,
    }
    if duration is not None:
        params["CallDuration"] = str(duration)
    return params


def dial(call_sid: str, caller: str, host: str) -> dict[str, Any]:
    return deliver(webhook("/webhooks/twilio/voice", dial_params(call_sid, caller, host)))


def leg_status(call_sid: str, status: str, duration: int | None = None) -> dict[str, Any]:
    return deliver(webhook("/webhooks/twilio/status", leg_params(call_sid, status, duration)))
