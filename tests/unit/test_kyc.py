"""KYC rules without AWS: masking, the webhook signature, the adapters' requests and retries, and the local
S3 POST policy check."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from local_runtime.s3_post import check_form
from local_runtime.s3_signing import signing_key
from twtc_core.kyc import providers
from twtc_core.kyc.models import DocType, KycStatus, masked_number
from twtc_core.kyc.providers import (
    KarzaProvider,
    ProviderRequest,
    ProviderSecret,
    ProviderUnavailable,
    SignzyProvider,
    UnreadableWebhook,
)
from twtc_core.kyc.webhooks import BadSignature, StaleSignature, verify

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SECRET = ProviderSecret(base_url="https://provider.test", api_key="key-123", webhook_secret="whsec")
AADHAAR = "234123412346"  # a valid Verhoeff check digit (stdnum.in_.aadhaar)


def test_masking_keeps_only_the_last_four_characters() -> None:
    assert masked_number(DocType.AADHAAR, AADHAAR) == "XXXX-XXXX-2346"
    assert masked_number(DocType.PAN, "ABCPE1234F") == "XXXXXX234F"


def _header(timestamp: int, body: bytes, secret: str = "whsec") -> str:
    # Computed here independently of the code under test.
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


BODY = b'{"eventId": "evt-1"}'
T = int(NOW.timestamp())


@pytest.mark.parametrize(
    ("header", "body", "error"),
    [
        (_header(T, BODY), BODY, None),
        (_header(T - 300, BODY), BODY, None),  # at the tolerance's edge
        (_header(T - 301, BODY), BODY, StaleSignature),
        (_header(T + 301, BODY), BODY, StaleSignature),
        (_header(T, BODY, "other"), BODY, BadSignature),
        (_header(T, BODY), BODY + b" ", BadSignature),  # the exact bytes are signed
        (_header(T - 1, BODY).replace(f"t={T - 1}", f"t={T}"), BODY, BadSignature),  # timestamp swapped
        (None, BODY, BadSignature),
        ("v1=abc", BODY, BadSignature),
        ("t=abc,v1=abc", BODY, BadSignature),
    ],
)
def test_webhook_signatures(header: str | None, body: bytes, error: type[Exception] | None) -> None:
    if error is None:
        verify(header, body, "whsec", NOW)
    else:
        with pytest.raises(error):
            verify(header, body, "whsec", NOW)


def _recording(status: int, answer: dict[str, str]) -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=answer)

    return seen, httpx.MockTransport(handle)


def test_the_karza_adapter_sends_karzas_shape_with_its_key_and_an_idempotency_key() -> None:
    seen, transport = _recording(200, {"requestId": "KZ-1"})
    reference = KarzaProvider(lambda: SECRET, transport).submit(
        ProviderRequest("kyc-1", DocType.AADHAAR, AADHAAR)
    )
    assert reference == "KZ-1"
    (request,) = seen
    assert str(request.url) == "https://provider.test/karza/v3/kyc-verification"
    assert request.headers["x-karza-key"] == "key-123" and request.headers["idempotency-key"] == "kyc-1"
    assert json.loads(request.content) == {
        "docType": "aadhaar",
        "docNumber": AADHAAR,
        "consent": "Y",
        "caseId": "kyc-1",
    }


def test_the_signzy_adapter_sends_signzys_shape() -> None:
    seen, transport = _recording(200, {"id": "SZ-1"})
    assert (
        SignzyProvider(lambda: SECRET, transport).submit(ProviderRequest("kyc-2", DocType.PAN, "ABCPE1234F"))
        == "SZ-1"
    )
    (request,) = seen
    assert str(request.url) == "https://provider.test/signzy/api/v3/identity-verifications"
    assert request.headers["authorization"] == "key-123" and request.headers["x-idempotency-key"] == "kyc-2"
    assert json.loads(request.content) == {
        "essentials": {"type": "PAN", "number": "ABCPE1234F"},
        "referenceId": "kyc-2",
    }


@pytest.mark.parametrize(("status", "attempts"), [(503, 3), (500, 3), (400, 1)])
def test_5xx_is_retried_with_growing_pauses_and_4xx_is_not(
    monkeypatch: pytest.MonkeyPatch, status: int, attempts: int
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(providers, "pause", waits.append)
    seen, transport = _recording(status, {"error": "x"})
    with pytest.raises(ProviderUnavailable) as raised:
        KarzaProvider(lambda: SECRET, transport).submit(ProviderRequest("kyc-3", DocType.AADHAAR, AADHAAR))
    assert len(seen) == attempts and len(waits) == attempts - 1 and waits == sorted(waits)
    assert AADHAAR not in str(raised.value) and AADHAAR not in repr(raised.value.__cause__)


def test_a_timeout_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(providers, "pause", lambda _: None)
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) < 3:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json={"requestId": "KZ-9"})

    provider = KarzaProvider(lambda: SECRET, httpx.MockTransport(handle))
    assert provider.submit(ProviderRequest("kyc-4", DocType.PAN, "ABCPE1234F")) == "KZ-9"
    assert len(calls) == 3


def test_the_request_never_shows_the_number() -> None:
    assert AADHAAR not in repr(ProviderRequest("kyc-5", DocType.AADHAAR, AADHAAR))


def test_webhook_shapes_of_both_providers() -> None:
    karza = KarzaProvider(lambda: SECRET).decision_from(
        {"eventId": "e1", "caseId": "k1", "result": {"status": "REJECTED", "reason": "blurred"}}
    )
    signzy = SignzyProvider(lambda: SECRET).decision_from(
        {"id": "e2", "referenceId": "k2", "verificationStatus": "SUCCESS"}
    )
    assert (karza.kyc_id, karza.status, karza.reason) == ("k1", KycStatus.REJECTED, "blurred")
    assert (signzy.event_id, signzy.status) == ("e2", KycStatus.VERIFIED)
    with pytest.raises(UnreadableWebhook):
        SignzyProvider(lambda: SECRET).decision_from(
            {"id": "e3", "referenceId": "k", "verificationStatus": "MAYBE"}
        )


# --- the local S3 POST policy check ----------------------------------------------------------------------
ACCESS_KEY, SECRET_KEY, BUCKET, KEY = "AKIDEXAMPLE", "local-secret", "twtc-documents", "kyc/u1/doc"


def _form(expires: datetime = NOW + timedelta(minutes=5), **overrides: str) -> dict[str, str]:
    credential = f"{ACCESS_KEY}/20261125/us-east-1/s3/aws4_request"
    policy = {
        "expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "conditions": [
            {"Content-Type": "image/png"},
            ["content-length-range", 1, 5 * 1024 * 1024],
            {"bucket": BUCKET},
            {"key": KEY},
            {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
            {"x-amz-credential": credential},
            {"x-amz-date": "20261125T090000Z"},
        ],
    }
    encoded = base64.b64encode(json.dumps(policy).encode()).decode()
    key = signing_key(SECRET_KEY, "20261125", "us-east-1", "s3")
    fields = {
        "Content-Type": "image/png",
        "key": KEY,
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "x-amz-credential": credential,
        "x-amz-date": "20261125T090000Z",
        "policy": encoded,
        "x-amz-signature": hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest(),
    }
    return {**fields, **overrides}


@pytest.mark.parametrize(
    ("form", "size", "refusal"),
    [
        (_form(), 1000, None),
        (_form(), 6 * 1024 * 1024, (400, "EntityTooLarge")),
        (_form(), 0, (400, "EntityTooSmall")),
        (_form(**{"Content-Type": "image/gif"}), 1000, (403, "AccessDenied")),
        (_form(key="kyc/u2/doc"), 1000, (403, "AccessDenied")),
        (_form(expires=NOW), 1000, (403, "AccessDenied")),
        (_form(**{"x-amz-signature": "0" * 64}), 1000, (403, "AccessDenied")),
        (_form(acl="public-read"), 1000, (403, "AccessDenied")),  # a field no condition covers
        ({k: v for k, v in _form().items() if k != "policy"}, 1000, (400, "InvalidArgument")),
    ],
)
def test_the_local_upload_url_enforces_the_post_policy_like_s3(
    form: dict[str, str], size: int, refusal: tuple[int, str] | None
) -> None:
    result = check_form(BUCKET, form, size, NOW, SECRET_KEY)
    assert (None if result is None else (result.status, result.code)) == refusal
