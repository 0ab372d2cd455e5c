"""KYC's AWS calls per request (issue 12): the upload grant, a submission the provider accepts, the
provider's verdict through the webhook, and my status. The provider is a fake on an httpx mock transport
(its HTTP call is not an AWS call); the session check is warmed first, as in a busy container."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx

from functions.kyc import handler as kyc_handler
from local_runtime.outbox import OUTBOX
from tests.support import accounts
from tests.support.kyc import SECRET, FakeKarza, deliver, karza_verdict, my_kyc, put_document, submit
from tests.support.presence import open_tab
from twtc_core.kyc.providers import KarzaProvider
from twtc_core.kyc.verification import Verification

# What each step is expected to cost (the issue asks for the counts; these are the design's budgets).
GOALS = {
    "POST /v1/kyc/uploads": "0 (the form is signed locally)",
    "POST /v1/kyc/submissions": "<= 6",
    "POST /webhooks/kyc (verdict applied, 1 tab open; secret read once per container)": "<= 6",
    "GET /v1/kyc": "<= 2",
}


def kyc_calls(measured: Callable[[Callable[[], Any]], tuple[Counter[str], float]]) -> list[tuple[str, ...]]:
    fake = FakeKarza()
    provider = KarzaProvider(lambda: SECRET, transport=httpx.MockTransport(fake.handle))
    kyc_handler.services = replace(
        kyc_handler.services, verification=Verification(provider, kyc_handler.store)
    )
    user = accounts.open_account(OUTBOX, "kyc-bench@example.com", ip="198.51.100.9").user_id
    key = put_document(user)
    my_kyc(user)  # warms the session check
    open_tab("YmVuY2gtdGFi", user)
    submitted: dict[str, Any] = {}
    upload = {"doc_type": "PAN", "content_type": "image/png", "content_length": 1000}
    steps: list[tuple[str, Callable[[], Any]]] = [
        (
            "POST /v1/kyc/uploads",
            lambda: accounts.call(
                kyc_handler.lambda_handler, "http_api_kyc_uploads", caller=user, body=upload
            ),
        ),
        ("POST /v1/kyc/submissions", lambda: submitted.update(submit(user, "PAN", "ABCPE1234F", key)[1])),
        (
            "POST /webhooks/kyc (verdict applied, 1 tab open; secret read once per container)",
            lambda: deliver(karza_verdict(submitted["kyc_id"], "VERIFIED")),
        ),
        ("GET /v1/kyc", lambda: my_kyc(user)),
    ]
    rows = []
    for name, step in steps:
        calls, _ = measured(step)
        rows.append(
            (name, str(calls.total()), ", ".join(f"{k} x{v}" for k, v in sorted(calls.items())), GOALS[name])
        )
    return rows
