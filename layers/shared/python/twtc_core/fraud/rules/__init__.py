"""One module per rule: a pure function `evaluate(situation) -> list[Finding]`. RULES runs them all."""

from __future__ import annotations

from collections.abc import Callable

from twtc_core.fraud.models import Finding, Situation
from twtc_core.fraud.rules import action_timing, duplicate_sessions, impossible_travel, multi_account

Rule = Callable[[Situation], list[Finding]]
RULES: tuple[Rule, ...] = (
    action_timing.evaluate,
    duplicate_sessions.evaluate,
    multi_account.evaluate,
    impossible_travel.evaluate,
)


def findings_for(situation: Situation) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(situation)]
