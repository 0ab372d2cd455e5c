"""Action timing, on earning actions only: a mining session restarted before the last one's 4 hours ran, a
completion faster than its content allows (the action records the least it requires and what elapsed),
the same earning action repeated under a second apart (a script, not a thumb). Other actions are not
timed: saving a profile twice in a second, or a double-tapped button, earns nothing and is no signal."""

from __future__ import annotations

from datetime import timedelta

from twtc_core.fraud.models import Action, Finding, Severity, Situation

MINING_START = "mining_started"
# A task completion refused as too early: recorded with its timing, as a completion would be. Refusing it
# pays nothing, but claiming before the content could be consumed is what a script does.
EARLY_CLAIM = "task_claimed_early"
# The activity names the earning flows record (docs/fraud.md "Recording a sensitive action").
EARNING_ACTIONS = frozenset(
    {MINING_START, "ad_completed", "task_started", "task_completed", EARLY_CLAIM, "boost_answered"}
)
MINING_SESSION = timedelta(hours=4)
REPEAT_GAP = timedelta(seconds=1)
MINING_RESTART = "MINING_RESTART"
TOO_FAST = "COMPLETED_TOO_FAST"
RAPID_REPEAT = "RAPID_REPEAT"


def evaluate(situation: Situation) -> list[Finding]:
    trigger = situation.trigger
    if trigger.action not in EARNING_ACTIONS:
        return []
    previous = next((earlier for earlier in situation.earlier if earlier.action == trigger.action), None)
    return [*_too_fast(trigger), *_too_soon_after(trigger, previous)]


def _too_fast(trigger: Action) -> list[Finding]:
    required, elapsed = trigger.required_seconds, trigger.elapsed_seconds
    if required is None or elapsed is None or elapsed >= required:
        return []
    evidence = {
        "action": trigger.action,
        "resource": trigger.resource,
        "required_seconds": required,
        "elapsed_seconds": elapsed,
    }
    return [Finding(TOO_FAST, Severity.MEDIUM, evidence)]


def _too_soon_after(trigger: Action, previous: Action | None) -> list[Finding]:
    if previous is None:
        return []
    gap = trigger.at - previous.at
    evidence = {
        "action": trigger.action,
        "previous_at": previous.at.isoformat(),
        "gap_seconds": gap.total_seconds(),
    }
    findings = []
    if trigger.action == MINING_START and gap < MINING_SESSION:
        findings.append(Finding(MINING_RESTART, Severity.MEDIUM, evidence))
    if gap < REPEAT_GAP:
        findings.append(Finding(RAPID_REPEAT, Severity.LOW, evidence))
    return findings
