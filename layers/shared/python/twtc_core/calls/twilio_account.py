"""Our Twilio account: its credentials (one Secrets Manager secret, JSON, read through Powertools and
cached), webhook signatures, Voice access tokens and the REST hang-up.

The secret holds `account_sid`, `api_key_sid`, `api_key_secret`, `twiml_app_sid` and `auth_token`.
The REST client's HTTP goes through `http_client` (twilio's own hook): None is Twilio itself; the local
runtime installs its simulator there, so nothing leaves the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities import parameters
from twilio.http import HttpClient
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant
from twilio.request_validator import RequestValidator
from twilio.rest import Client

TOKEN_TTL_SECONDS = 3600
SECRET_MAX_AGE_SECONDS = 300
# Where the REST API's requests go (twilio's HttpClient hook); None: api.twilio.com.
http_client: HttpClient | None = None


@dataclass(frozen=True)
class TwilioCredentials:
    account_sid: str
    api_key_sid: str
    api_key_secret: str
    twiml_app_sid: str
    auth_token: str


@dataclass(frozen=True)
class VoiceToken:
    token: str
    identity: str
    expires_at: datetime


class TwilioAccount:
    def __init__(self, secret_id: str) -> None:
        self._secret_id = secret_id

    def credentials(self) -> TwilioCredentials:
        secret: Any = parameters.get_secret(self._secret_id, transform="json", max_age=SECRET_MAX_AGE_SECONDS)
        return TwilioCredentials(
            **{name: str(secret[name]) for name in TwilioCredentials.__dataclass_fields__}
        )

    def is_signed(self, url: str, params: dict[str, str], signature: str) -> bool:
        """Twilio signed exactly these parameters for exactly this URL (the one it called)."""
        return bool(signature) and RequestValidator(self.credentials().auth_token).validate(
            url, params, signature
        )

    def voice_token(self, identity: str, now: datetime) -> VoiceToken:
        """A Voice SDK token: outgoing calls through our TwiML app, incoming calls to `identity`."""
        account = self.credentials()
        token = AccessToken(
            account.account_sid,
            account.api_key_sid,
            account.api_key_secret,
            identity=identity,
            ttl=TOKEN_TTL_SECONDS,
            nbf=int(now.timestamp()),
        )
        token.add_grant(VoiceGrant(outgoing_application_sid=account.twiml_app_sid, incoming_allow=True))
        # The SDK stamps `exp` from the system clock, which is the clock in AWS.
        return VoiceToken(
            token=token.to_jwt(),
            identity=identity,
            expires_at=datetime.fromtimestamp(int(now.timestamp()) + TOKEN_TTL_SECONDS, now.tzinfo),
        )

    def hang_up(self, call_sid: str) -> None:
        """End a call now (REST: calls(sid).update(status="completed")); Twilio then sends `completed`."""
        account = self.credentials()
        client = Client(
            account.api_key_sid, account.api_key_secret, account.account_sid, http_client=http_client
        )
        client.calls(call_sid).update(status="completed")
