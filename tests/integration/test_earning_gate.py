"""The earning gate on a route that opts in (the earning routes do at merge): level 2 → 429 `cooldown`
with Retry-After until the cooldown ends, level 3 → 403 `captcha_required`, and no AWS call of its own."""

from __future__ import annotations

from typing import Any

from functions.admin_trust import handler as admin_trust
from functions.admin_users import handler as admin_users
from functions.auth import handler as auth
from functions.captcha import handler as captcha
from functions.profile import handler as profile
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.events import FakeLambdaContext, body_of, http_event
from twtc_core.accounts.sessions import SessionGate, SessionStore, TrustFlags
from twtc_core.api import build_resolver, session_gate
from twtc_core.clock import Clock
from twtc_core.trust import earning_gate

app = build_resolver()


@app.get("/v1/test/earn", middlewares=[earning_gate])
def earn() -> dict[str, str]:
    return {"earned": "yes"}


def earn_with(claims: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
    request = http_event("http_api_me_get", caller=None, claims=claims, path="/v1/test/earn")
    response = app.resolve(request, FakeLambdaContext())
    return response["statusCode"], body_of(response), response.get("headers") or {}


def test_cooldown_then_captcha_then_clear(cognito: Outbox, clock: Clock) -> None:
    # Given a logged-in user at level 1
    account = accounts.open_account(cognito, "earner@example.com")
    _, tokens, _ = accounts.log_in(account.username, account.device_id)
    claims = accounts.claims_of(tokens["access_token"])
    assert earn_with(claims)[0] == 200
    now = int(clock.now().timestamp())
    # When the fraud engine puts the user in a 10-minute cooldown (seen once the 30 s cache expires)
    SessionStore().set_trust(account.user_id, TrustFlags(alert_level=2, cooldown_until=now + 600))
    clock.advance(SessionGate.CACHE_SECONDS)
    status, body, headers = earn_with(claims)
    # Then earning is 429 cooldown, Retry-After the time left
    assert (status, body["error"]["code"], headers["Retry-After"]) == (429, "cooldown", "570")
    # When the cooldown ends, earning works again
    clock.advance(570)
    assert earn_with(claims)[0] == 200
    # When a CAPTCHA is required
    SessionStore().set_trust(account.user_id, TrustFlags(alert_level=3, captcha_required=True))
    clock.advance(SessionGate.CACHE_SECONDS)
    status, body, _ = earn_with(claims)
    assert (status, body["error"]["code"]) == (403, "captcha_required")


def test_every_function_that_ends_sessions_or_changes_trust_uses_the_request_paths_gate() -> None:
    # A second gate in a container would drop its own cached read on an erasure or suspension while
    # the request path kept serving the stale one for up to 30 s.
    gates = [
        admin_trust.services.trust.gate,
        captcha.services.trust.gate,
        admin_users.services.sessions,
        auth.services.sessions,
        profile.services.sessions,
    ]
    assert all(gate is session_gate() for gate in gates)
