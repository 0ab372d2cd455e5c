"""Duplicate concurrent sessions: the user's actions interleave from two logins (session A acted, then
B, now A again, all within the window). One device replacing another is not a finding: the new login
ends the old sessions, so the old one never acts after it."""

from __future__ import annotations

from datetime import timedelta

from twtc_core.fraud.models import Finding, Severity, Situation

WINDOW = timedelta(minutes=10)
DUPLICATE_SESSION = "DUPLICATE_SESSION"


def evaluate(situation: Situation) -> list[Finding]:
    trigger = situation.trigger
    if trigger.session_id is None:
        return []
    recent = [earlier for earlier in situation.earlier if trigger.at - earlier.at <= WINDOW]
    # newest first: another session's action, followed (further back) by one of the trigger's session
    for position, earlier in enumerate(recent):
        if earlier.session_id is None or earlier.session_id == trigger.session_id:
            continue
        if any(older.session_id == trigger.session_id for older in recent[position + 1 :]):
            return [
                Finding(
                    DUPLICATE_SESSION,
                    Severity.MEDIUM,
                    {
                        "sessions": sorted({trigger.session_id, earlier.session_id}),
                        "other_action_at": earlier.at.isoformat(),
                    },
                )
            ]
    return []
