"""KYC provider adapters behind one interface (docs/decisions.md, "KYC provider adapters").

`submit` sends a document number to the provider and returns its reference; the verdict arrives later
through the webhook, which `decision_from` reads. Calls go over httpx with timeouts, are retried with
exponential back-off on 5xx and transport errors (tenacity), and carry the submission's id as the
idempotency key so that a retry never opens a second case. Base URL, API key and webhook secret come from
one Secrets Manager secret (JSON), cached by Powertools.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

import httpx
from aws_lambda_powertools.utilities import parameters
from pydantic import BaseModel, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from twtc_core.kyc.models import DocType, KycStatus, ProviderDecision

ATTEMPTS = 3
TIMEOUT = httpx.Timeout(5.0, connect=2.0)
SECRET_MAX_AGE_SECONDS = 300
# The pause between attempts; a test replaces it to run without waiting.
pause: Callable[[float], None] = time.sleep


class ProviderSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True)

    kyc_provider: str  # karza | signzy
    kyc_provider_secret_id: str


class ProviderSecret(BaseModel):
    base_url: str
    api_key: str
    webhook_secret: str


class ProviderUnavailable(Exception):
    """The provider did not accept the submission (5xx, timeout, network) after every attempt."""


class UnreadableWebhook(Exception):
    """A correctly signed body that is not this provider's webhook shape."""


@dataclass(frozen=True)
class ProviderRequest:
    kyc_id: str  # also the idempotency key
    doc_type: DocType
    # The full number: never logged, stored or shown (repr=False keeps it out of tracebacks and reprs).
    doc_number: str = field(repr=False)


class KycProvider(Protocol):
    name: str

    def submit(self, request: ProviderRequest) -> str: ...

    def webhook_secret(self) -> str: ...

    def decision_from(self, payload: dict[str, Any]) -> ProviderDecision: ...


def provider_secret(secret_id: str) -> ProviderSecret:
    return ProviderSecret.model_validate(
        parameters.get_secret(secret_id, transform="json", max_age=SECRET_MAX_AGE_SECONDS)
    )


def _pause(seconds: float) -> None:
    pause(seconds)  # looked up at each call, so a test's replacement applies


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code >= 500
    return isinstance(error, httpx.TransportError)


SecretSource = Callable[[], ProviderSecret]


class _HttpProvider:
    name = ""

    def __init__(self, secret: SecretSource, transport: httpx.BaseTransport | None = None) -> None:
        # Read at each call (Powertools caches it), so a rotated key or URL is picked up within minutes.
        self.secret = secret
        self._client = httpx.Client(timeout=TIMEOUT, transport=transport)

    def webhook_secret(self) -> str:
        return self.secret().webhook_secret

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        retrying = Retrying(
            stop=stop_after_attempt(ATTEMPTS),
            wait=wait_exponential(multiplier=0.2, max=2),
            retry=retry_if_exception(_transient),
            sleep=_pause,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self._client.post(self.secret().base_url + path, json=body, headers=headers)
                    response.raise_for_status()
        except (httpx.HTTPStatusError, httpx.TransportError) as error:
            # Only the status or the error's kind: the request (and its document number) stays out.
            raise ProviderUnavailable(
                f"{self.name} did not accept the submission: {type(error).__name__}"
            ) from None
        answer: dict[str, Any] = response.json()
        return answer


class _KarzaSubmitted(BaseModel):
    requestId: str


class _KarzaResult(BaseModel):
    status: str
    reason: str | None = None


class _KarzaWebhook(BaseModel):
    eventId: str
    caseId: str
    result: _KarzaResult


class KarzaProvider(_HttpProvider):
    """Karza-style: `POST /v3/kyc-verification` with the key in `x-karza-key`; verdict VERIFIED/REJECTED."""

    name = "karza"

    def submit(self, request: ProviderRequest) -> str:
        body = {
            "docType": request.doc_type.value.lower(),
            "docNumber": request.doc_number,
            "consent": "Y",
            "caseId": request.kyc_id,
        }
        headers = {"x-karza-key": self.secret().api_key, "Idempotency-Key": request.kyc_id}
        return _KarzaSubmitted.model_validate(
            self._post("/karza/v3/kyc-verification", body, headers)
        ).requestId

    def decision_from(self, payload: dict[str, Any]) -> ProviderDecision:
        webhook = _read(_KarzaWebhook, payload)
        return ProviderDecision(
            event_id=webhook.eventId,
            kyc_id=webhook.caseId,
            status=_verdict(webhook.result.status, verified="VERIFIED", rejected="REJECTED"),
            reason=webhook.result.reason,
        )


class _SignzySubmitted(BaseModel):
    id: str


class _SignzyWebhook(BaseModel):
    id: str
    referenceId: str
    verificationStatus: str
    failureReason: str | None = None


class SignzyProvider(_HttpProvider):
    """Signzy-style: `POST /api/v3/identity-verifications` with the key in `Authorization`; verdict
    SUCCESS/FAILED."""

    name = "signzy"

    def submit(self, request: ProviderRequest) -> str:
        body = {
            "essentials": {"type": request.doc_type.value, "number": request.doc_number},
            "referenceId": request.kyc_id,
        }
        headers = {"Authorization": self.secret().api_key, "X-Idempotency-Key": request.kyc_id}
        return _SignzySubmitted.model_validate(
            self._post("/signzy/api/v3/identity-verifications", body, headers)
        ).id

    def decision_from(self, payload: dict[str, Any]) -> ProviderDecision:
        webhook = _read(_SignzyWebhook, payload)
        return ProviderDecision(
            event_id=webhook.id,
            kyc_id=webhook.referenceId,
            status=_verdict(webhook.verificationStatus, verified="SUCCESS", rejected="FAILED"),
            reason=webhook.failureReason,
        )


M = TypeVar("M", bound=BaseModel)


def _read(model: type[M], payload: dict[str, Any]) -> M:
    try:
        return model.model_validate(payload)
    except ValidationError:
        raise UnreadableWebhook("The body is not this provider's webhook.") from None


def _verdict(value: str, *, verified: str, rejected: str) -> KycStatus:
    verdicts = {verified: KycStatus.VERIFIED, rejected: KycStatus.REJECTED}
    if value not in verdicts:
        raise UnreadableWebhook("The webhook's status is not a verdict.")
    return verdicts[value]


ADAPTERS: dict[str, Callable[[SecretSource], KycProvider]] = {
    KarzaProvider.name: KarzaProvider,
    SignzyProvider.name: SignzyProvider,
}


def configured_provider(settings: ProviderSettings | None = None) -> KycProvider:
    """The adapter the KYC_PROVIDER setting names, reading its secret when it first calls."""
    settings = settings or ProviderSettings()
    return ADAPTERS[settings.kyc_provider](partial(provider_secret, settings.kyc_provider_secret_id))
