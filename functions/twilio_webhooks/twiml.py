"""TwiML answers, built with the twilio SDK."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from twilio.twiml.voice_response import VoiceResponse

from twtc_core.calls.service import Dial, Refusal

TWIML_MEDIA_TYPE = "application/xml"
CLIENT_EVENTS = "initiated ringing answered completed"


def answer(decision: Dial | Refusal, status_url: str) -> VoiceResponse:
    """Dial the host until the held minutes run out (Twilio ends the call itself), or say why not."""
    twiml = VoiceResponse()
    if isinstance(decision, Refusal):
        twiml.say(decision.message)
        twiml.hangup()
        return twiml
    dial = twiml.dial(time_limit=decision.time_limit_seconds, action=status_url)
    dial.client(decision.host_id, status_callback=status_url, status_callback_event=CLIENT_EVENTS)
    return twiml


def acknowledged() -> VoiceResponse:
    return VoiceResponse()


def response(twiml: VoiceResponse) -> Response[str]:
    return Response(status_code=200, content_type=TWIML_MEDIA_TYPE, body=str(twiml))
