"""AdMob, as far as the platform meets it: the verifier-keys document Google serves, and rewarded-ad
callbacks signed the way Google signs them (ECDSA P-256 / SHA-256 over the query string up to
`&signature=`, web-safe base64 without padding, then `key_id`). The local runtime serves its own key at
`GET /_local/admob/verifier-keys` and calls our callback from `POST /_local/admob/rewards`; tests sign
with their own key through the same class.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local_runtime.http_api import error_body
from twtc_core.clock import utc_now
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.earning.models import Impression
from twtc_core.edge import VIEWER_ADDRESS_HEADER

TEST_AD_NETWORK = "5450213213286189855"  # AdMob's id for its own network


@dataclass
class AdMobSigner:
    key_id: int
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    def verifier_keys(self) -> dict[str, Any]:
        """The document at AdMob's verifier-keys URL, listing this signer's public key."""
        public = self.key.public_key()
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return {
            "keys": [{"keyId": self.key_id, "pem": pem.decode(), "base64": base64.b64encode(der).decode()}]
        }

    def sign(self, content: str) -> str:
        """`content` (the callback's parameters, in order) with the signature and key id appended."""
        signature = self.key.sign(content.encode(), ec.ECDSA(hashes.SHA256()))
        encoded = base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
        return f"{content}&signature={encoded}&key_id={self.key_id}"

    def reward_query(self, impression: Impression, transaction_id: str, timestamp_ms: int) -> str:
        """The signed query string of AdMob's callback for a reward earned on `impression` (whose id the
        app passed as `custom_data`); parameters in alphabetical order, as Google sends them."""
        parameters = {
            "ad_network": TEST_AD_NETWORK,
            "ad_unit": impression.network_ad_unit_id,
            "custom_data": impression.impression_id,
            "reward_amount": "1",
            "reward_item": impression.placement.lower(),
            "timestamp": str(timestamp_ms),
            "transaction_id": transaction_id,
            "user_id": impression.user_id,
        }
        return self.sign(urlencode(sorted(parameters.items()), quote_via=quote))


LOCAL_KEY_ID = 1000000001
GOOGLE_CALLBACK_VIEWER = "66.249.66.1:443"  # a Google address, so callbacks count apart from app clients


def admob_routes(signer: AdMobSigner, callback_base_url: str) -> list[Route]:
    """`GET /_local/admob/verifier-keys` (what ADMOB_VERIFIER_KEYS_URL points at locally) and
    `POST /_local/admob/rewards {"impression_id", "transaction_id"?}`: AdMob's signed callback for that
    impression, sent to our `GET /webhooks/admob/ssv` over HTTP; answers with the callback's answer."""

    async def verifier_keys(_: Request) -> Response:
        return JSONResponse(signer.verifier_keys())

    async def reward(request: Request) -> Response:
        try:
            payload = json.loads(await request.body())
            impression_id = str(payload["impression_id"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse(
                error_body("validation_failed", 'Send {"impression_id": "..."}.'), status_code=422
            )
        impression = await run_in_threadpool(ImpressionStore().get, impression_id)
        if impression is None:
            return JSONResponse(error_body("not_found", "No such impression."), status_code=404)
        transaction_id = str(payload.get("transaction_id") or uuid.uuid4().hex)
        query = signer.reward_query(impression, transaction_id, int(utc_now().timestamp() * 1000))
        async with httpx.AsyncClient(base_url=callback_base_url, timeout=30) as client:
            answer = await client.get(
                f"/webhooks/admob/ssv?{query}", headers={VIEWER_ADDRESS_HEADER: GOOGLE_CALLBACK_VIEWER}
            )
        return JSONResponse({"status": answer.status_code, "body": answer.json(), "query": query})

    return [
        Route("/_local/admob/verifier-keys", verifier_keys),
        Route("/_local/admob/rewards", reward, methods=["POST"]),
    ]
