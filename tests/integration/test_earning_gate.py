"""The earning gate on the real earning handlers: level 2 → 429 `cooldown` with Retry-After until the
cooldown ends, level 3 → 403 `captcha_required`; nothing is started or credited meanwhile."""

from __future__ import annotations

from functions.admin_trust import handler as admin_trust
from functions.admin_users import handler as admin_users
from functions.ads.handler import lambda_handler as ads_handler
from functions.auth import handler as auth
from functions.captcha import handler as captcha
from functions.mining.handler import lambda_handler as mining_handler
from functions.profile import handler as profile
from functions.tasks.handler import lambda_handler as tasks_handler
from local_runtime.outbox import Outbox
from local_runtime.seed import seed_content
from tests.support import accounts
from tests.support.tasks import start, today
from twtc_core.accounts.sessions import SessionGate, SessionStore, TrustFlags
from twtc_core.api import session_gate
from twtc_core.clock import Clock
from twtc_core.ids import new_id
from twtc_core.ledger import Ledger


def test_a_cooldown_refuses_a_task_start_with_retry_after_until_it_ends(
    cognito: Outbox, clock: Clock
) -> None:
    # Given a user with today's tasks, whom the fraud engine puts in a 10-minute cooldown
    seed_content()
    user_id = accounts.open_account(cognito, "cooling@example.com").user_id
    task = next(task for task in today(user_id) if task["type"] == "AD")
    now = int(clock.now().timestamp())
    SessionStore().set_trust(user_id, TrustFlags(alert_level=2, cooldown_until=now + 600))
    clock.advance(SessionGate.CACHE_SECONDS)  # past the session gate's cache of the level-1 read
    # When the user starts a task
    path = f"/v1/tasks/{task['id']}/start"
    status, body, headers = accounts.call(tasks_handler, "http_api_tasks_start", caller=user_id, path=path)
    # Then it is 429 cooldown with the seconds left, and the task is not started
    assert (status, body["error"]["code"], headers["Retry-After"]) == (429, "cooldown", "570")
    assert next(t for t in today(user_id) if t["id"] == task["id"])["status"] == "PENDING"
    # When the cooldown has run out, the same start works
    clock.advance(570)
    assert start(user_id, task["id"])[0] == 200


def test_a_required_captcha_refuses_every_earning_route(cognito: Outbox, clock: Clock) -> None:
    # Given a user the fraud engine put at level 3 (a CAPTCHA required)
    seed_content()
    user_id = accounts.open_account(cognito, "captcha@example.com").user_id
    task = next(task for task in today(user_id) if task["type"] == "AD")
    entries_before = Ledger().history(user_id, 100, None).items
    SessionStore().set_trust(user_id, TrustFlags(alert_level=3, captcha_required=True))
    clock.advance(SessionGate.CACHE_SECONDS)
    impression = new_id()
    # When it tries each earning route
    answers = [
        accounts.call(
            ads_handler, "http_api_ads_impression_issue", caller=user_id, body={"placement": "MINING"}
        ),
        accounts.call(
            ads_handler,
            "http_api_ads_impression_complete",
            caller=user_id,
            path=f"/v1/ads/impressions/{impression}/complete",
        ),
        accounts.call(
            mining_handler, "http_api_mining_start", caller=user_id, body={"impression_id": impression}
        ),
        accounts.call(
            tasks_handler, "http_api_tasks_start", caller=user_id, path=f"/v1/tasks/{task['id']}/start"
        ),
        accounts.call(
            tasks_handler,
            "http_api_tasks_complete",
            caller=user_id,
            path=f"/v1/tasks/{task['id']}/complete",
            body={},
        ),
    ]
    # Then every one is 403 captcha_required, and nothing was credited
    assert [(status, body["error"]["code"]) for status, body, _ in answers] == [(403, "captcha_required")] * 5
    assert Ledger().history(user_id, 100, None).items == entries_before
    # while reading its tasks still works (only earning is gated)
    assert today(user_id)[0]["status"] == "PENDING"


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
