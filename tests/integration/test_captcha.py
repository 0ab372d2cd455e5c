"""`POST /v1/captcha/verify` (spec §9): the provider's siteverify (hCaptcha test mode, the local stand-in's
answers) decides; a failing token keeps level 3, the test token lifts it, recorded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from functions.captcha import handler
from local_runtime.captcha import PASSING_TOKEN, answer
from local_runtime.outbox import Outbox
from tests.support import accounts
from twtc_core.accounts.sessions import SessionStore
from twtc_core.captcha import Siteverify
from twtc_core.clock import Clock
from twtc_core.fraud.models import Severity
from twtc_core.fraud.score import AlertLevel, ScoredEvent
from twtc_core.fraud.store import FraudStore
from twtc_core.fraud.trust import reassess, with_events
from twtc_core.security import SecurityStore


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, str]]]:
    """The function's siteverify client answered by hCaptcha's test mode (no network); yields the forms."""
    forms: list[dict[str, str]] = []

    def siteverify(request: httpx.Request) -> httpx.Response:
        forms.append(dict(httpx.QueryParams(request.content.decode())))
        return httpx.Response(200, json=answer(request.content))

    client = httpx.Client(transport=httpx.MockTransport(siteverify))
    verifier = Siteverify(handler.settings.captcha_siteverify_url, handler.settings.captcha_secret_id, client)
    monkeypatch.setattr(handler, "services", replace(handler.services, siteverify=verifier))
    yield forms


def test_a_failing_token_keeps_level_3_and_the_test_token_lifts_it(
    cognito: Outbox, clock: Clock, provider: list[dict[str, str]]
) -> None:
    # Given a user the fraud engine put at level 3 (five MEDIUM findings: score 75)
    account = accounts.open_account(cognito, "human@example.com")
    _, tokens, _ = accounts.log_in(account.username, account.device_id)
    claims = accounts.claims_of(tokens["access_token"])
    findings = [ScoredEvent(f"e{n}", "COMPLETED_TOO_FAST", Severity.MEDIUM, clock.now()) for n in range(5)]
    reassess(handler.services.trust, account.user_id, with_events(findings, 600))
    assert SessionStore().state_of(account.user_id).trust.captcha_required
    # When it answers with a token the provider rejects
    status, body, _ = accounts.call(
        handler.lambda_handler,
        "http_api_captcha_verify",
        caller=None,
        claims=claims,
        body={"token": "20000000-ffff-ffff-ffff-000000000002"},
    )
    # Then it is refused and still at level 3
    assert (status, body["error"]["code"]) == (403, "captcha_failed"), body
    assert SessionStore().state_of(account.user_id).trust.captcha_required
    # When it answers with the passing token
    status, body, _ = accounts.call(
        handler.lambda_handler,
        "http_api_captcha_verify",
        caller=None,
        claims=claims,
        body={"token": PASSING_TOKEN},
    )
    # Then level 3 is lifted to 2 (the score is still above the normal band), recorded in history and log
    assert (status, body) == (200, {"alert_level": 2, "captcha_required": False})
    assert SessionStore().state_of(account.user_id).trust.captcha_required is False
    assert FraudStore().trust_of(account.user_id).history[-1]["why"] == "captcha"
    assert next(a.action for a in SecurityStore().activity_of(account.user_id)) == "captcha_passed"
    # And the provider was asked with the secret, the token and the client's IP (hCaptcha's form)
    assert provider[-1]["response"] == PASSING_TOKEN
    assert set(provider[-1]) == {"secret", "response", "remoteip"}
    assert FraudStore().trust_of(account.user_id).level is AlertLevel.COOLDOWN
