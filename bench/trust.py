"""Issue 13's figures: what the fraud layer adds to a request, rule evaluation throughput, and the admin
review calls. Called from bench/__main__.py inside a fresh moto."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.counting import counting
from functions.fraud_evaluator import handler as evaluator
from functions.fraud_evaluator.logic import evaluate
from twtc_core.accounts.sessions import SessionGate, SessionStore, TrustFlags
from twtc_core.clock import CLOCK, utc_now
from twtc_core.fraud.models import Action, Situation
from twtc_core.fraud.rules import findings_for
from twtc_core.fraud.score import EventStatus
from twtc_core.fraud.store import FraudStore
from twtc_core.security import ActionTiming, RequestOrigin, SecurityStore
from twtc_core.trust import refuse_earning

EVALUATED_ACTIONS = 200
GOAL_EXTRA_READS = "≤ 1 read"


def _calls(operation: Callable[[], Any]) -> tuple[int, str]:
    with counting() as calls:
        operation()
    return calls.total(), ", ".join(f"{name} x{count}" for name, count in sorted(calls.items())) or "-"


def trust_figures() -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    # The request path: the session gate's one read already carries the trust flags.
    store = SessionStore()
    store.set_trust("bench-trust", TrustFlags(alert_level=2, cooldown_until=0))
    gate = SessionGate(store)
    claims = {"sub": "bench-trust", "token_use": "access", "auth_time": "1795597140", "origin_jti": "s"}
    gate.require_live(claims)
    count, which = _calls(lambda: refuse_earning(gate.trust_of("bench-trust"), int(utc_now().timestamp())))
    rows.append(("earning gate on a request (after the session check)", str(count), which, GOAL_EXTRA_READS))
    security = SecurityStore()
    count, which = _calls(
        lambda: security.log_activity("bench-trust", "task_completed", RequestOrigin(ip="203.0.113.1"))
    )
    rows.append(("recording a sensitive action", str(count), which, "1 write (evaluation is off-path)"))
    # Evaluation: one user's actions, each evaluated as the stream delivers it (the usual case: no finding).
    fraud = FraudStore()
    actions: list[Action] = []
    for _ in range(EVALUATED_ACTIONS):
        CLOCK.advance(2)
        timing = ActionTiming(required_seconds=30, elapsed_seconds=40)
        security.log_activity("bench-eval", "task_completed", RequestOrigin(device_id="d1"), timing=timing)
    actions = list(reversed(fraud.recent_actions("bench-eval", EVALUATED_ACTIONS)))
    started = time.perf_counter()
    with counting() as calls:
        for action in actions:
            evaluate(evaluator.services, action)
    seconds = time.perf_counter() - started
    rows.append(
        (
            f"rule evaluation, {EVALUATED_ACTIONS} honest actions of one user (no finding)",
            f"{EVALUATED_ACTIONS / seconds:.0f}/s",
            f"{calls.total() / EVALUATED_ACTIONS:.1f} calls per action (moto)",
            "events/s per Lambda",
        )
    )
    situation = Situation(actions[-1], tuple(reversed(actions[-51:-1])), frozenset({"a", "b"}))
    started = time.perf_counter()
    for _ in range(EVALUATED_ACTIONS):
        findings_for(situation)
    pure = EVALUATED_ACTIONS / (time.perf_counter() - started)
    rows.append(("the rules alone (50 earlier actions each)", f"{pure:.0f}/s", "0 calls", "CPU bound"))
    count, which = _calls(lambda: fraud.events_with_status(EventStatus.OPEN, 25))
    rows.append(("admin: review queue page (25)", str(count), which, "1 query"))
    count, which = _calls(lambda: fraud.trust_of("bench-eval"))
    rows.append(("admin: a user's score, level and scored events", str(count), which, "1 read"))
    return rows
