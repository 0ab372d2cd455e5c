"""AdMob server-side verification (SSV) of rewarded-ad callbacks, as Google documents it: the callback's
query string up to (not including) `&signature=` is signed with ECDSA P-256 / SHA-256 (DER, web-safe
base64 without padding); `signature` and `key_id` are always its last two parameters. The public keys are
served as JSON (`{"keys": [{"keyId": <int>, "pem": "...", "base64": "..."}]}`) at the verifier-keys URL;
they are cached per container and fetched again when a callback names a key not in the cache.
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from twtc_core import errors
from twtc_core.clock import utc_now

SIGNATURE_MARKER = "&signature="
FETCH_TIMEOUT_SECONDS = 5.0
# An unknown key_id fetches the keys again (AdMob rotates them), but at most this often: forged key ids
# must not turn every callback into a request to the key server.
REFETCH_INTERVAL = timedelta(minutes=1)


class BadSignature(errors.Forbidden):
    code = "invalid_signature"


@dataclass(frozen=True)
class Reward:
    """What a verified callback says: which impression (our `custom_data`) and AdMob's transaction."""

    transaction_id: str
    impression_id: str
    user_id: str | None


class AdMobVerifier:
    def __init__(self, keys_url: str, client: httpx.Client | None = None) -> None:
        self._keys_url = keys_url
        # Injectable: tests hand in a client with their own transport (httpx's hook for that).
        self._client = client or httpx.Client(timeout=FETCH_TIMEOUT_SECONDS)
        self._keys: dict[str, ec.EllipticCurvePublicKey] = {}
        self._fetched_at: datetime | None = None
        self._lock = threading.Lock()

    def verify(self, raw_query: str) -> Reward:
        """The reward the signed query string describes; BadSignature for anything not signed by a
        current AdMob key (unsigned, tampered, unknown key, malformed)."""
        message, marker, signed_tail = raw_query.partition(SIGNATURE_MARKER)
        signature_text, _, key_part = signed_tail.partition("&")
        key_name, _, key_id = key_part.partition("=")
        if not marker or key_name != "key_id" or not key_id.isdigit() or not signature_text:
            raise BadSignature("The callback is not signed as AdMob signs it.")
        key = self._key(key_id)
        try:
            signature = base64.urlsafe_b64decode(signature_text + "=" * (-len(signature_text) % 4))
            key.verify(signature, message.encode(), ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, binascii.Error, ValueError) as error:
            raise BadSignature("The callback's signature does not verify.") from error
        fields = dict(parse_qsl(message, keep_blank_values=True))
        if not fields.get("transaction_id") or not fields.get("custom_data"):
            raise BadSignature("The callback names no transaction or impression.")
        return Reward(fields["transaction_id"], fields["custom_data"], fields.get("user_id") or None)

    def _key(self, key_id: str) -> ec.EllipticCurvePublicKey:
        with self._lock:
            now = utc_now()
            stale = self._fetched_at is None or now - self._fetched_at >= REFETCH_INTERVAL
            if key_id not in self._keys and stale:
                self._keys, self._fetched_at = self._fetch(), now
            key = self._keys.get(key_id)
        if key is None:
            raise BadSignature("The callback names an unknown key.", {"key_id": key_id})
        return key

    def _fetch(self) -> dict[str, ec.EllipticCurvePublicKey]:
        response = self._client.get(self._keys_url)
        response.raise_for_status()
        keys = {}
        for entry in response.json().get("keys", []):
            key = load_pem_public_key(entry["pem"].encode())
            if isinstance(key, ec.EllipticCurvePublicKey):
                keys[str(entry["keyId"])] = key
        return keys
