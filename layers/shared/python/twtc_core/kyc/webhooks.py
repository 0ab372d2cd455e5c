"""The provider webhook's signature: header `X-Kyc-Signature: t=<unix seconds>,v1=<hex>`, where `v1` is
HMAC-SHA256 under the webhook secret of `<t>.<raw body bytes>`. Accepted within 5 minutes of `t` on the
injectable clock, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

SIGNATURE_HEADER = "X-Kyc-Signature"
TOLERANCE_SECONDS = 300


class BadSignature(Exception):
    """The header is missing or malformed, or the signature does not match."""


class StaleSignature(Exception):
    """A valid signature, but outside the tolerance: a replay of an old delivery."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(header: str | None, body: bytes, secret: str, now: datetime) -> None:
    """Raise BadSignature or StaleSignature unless `header` signs `body` recently."""
    parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
    timestamp, given = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or not given:
        raise BadSignature("The signature header is missing or malformed.")
    if not hmac.compare_digest(signature(secret, int(timestamp), body), given):
        raise BadSignature("The signature does not match.")
    if abs(now.timestamp() - int(timestamp)) > TOLERANCE_SECONDS:
        raise StaleSignature("The signature is older than the tolerance.")
