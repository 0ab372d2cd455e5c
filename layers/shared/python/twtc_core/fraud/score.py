"""The anomaly score (0-100) and the alert level it sets (docs/fraud.md "Score and levels").

score = min(100, round(Σ weight(severity) * ½^(age_hours / 24))) over the user's fraud events of the last
30 days that were not dismissed; a confirmed event counts double. Weights: LOW 5, MEDIUM 15, HIGH 30,
CRITICAL 60. So one fresh HIGH alone is 30 (level 1); a day later it counts 15.

Level = the score's band (0-30 → 1 log, 31-60 → 2 cooldown, 61-80 → 3 CAPTCHA, 81-100 → 4 suspended),
raised by the number of violations (events not dismissed) in the last 24 hours: 5 or more → at least 2,
8 or more → at least 3 — many small findings escalate even while each is light.

LOW findings together add at most 60 (`LOW_SCORE_CAP`, the top of the cooldown band): LOW findings alone
reach level 2 by score and level 3 by count, never suspension, which takes MEDIUM or worse evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum

from twtc_core.fraud.models import Severity

WEIGHTS = {Severity.LOW: 5, Severity.MEDIUM: 15, Severity.HIGH: 30, Severity.CRITICAL: 60}
HALF_LIFE_HOURS = 24
HORIZON = timedelta(days=30)
CONFIRMED_FACTOR = 2
MAX_SCORE = 100
LOW_SCORE_CAP = 60
VIOLATION_WINDOW = timedelta(hours=24)
# (violations in the window, the least level they set), strongest first
ESCALATIONS = ((8, 3), (5, 2))
BANDS = ((81, 4), (61, 3), (31, 2))


class AlertLevel(IntEnum):
    LOG = 1
    COOLDOWN = 2
    CAPTCHA = 3
    SUSPENDED = 4


class EventStatus(StrEnum):
    OPEN = "OPEN"
    CONFIRMED = "CONFIRMED"
    DISMISSED = "DISMISSED"


@dataclass(frozen=True)
class ScoredEvent:
    """A fraud event as the score sees it."""

    event_id: str
    type: str
    severity: Severity
    at: datetime
    status: EventStatus = EventStatus.OPEN


def anomaly_score(events: Iterable[ScoredEvent], now: datetime) -> int:
    low = serious = 0.0
    for event in events:
        age = now - event.at
        if event.status is EventStatus.DISMISSED or age > HORIZON:
            continue
        decay = 0.5 ** (max(age.total_seconds(), 0) / 3600 / HALF_LIFE_HOURS)
        factor = CONFIRMED_FACTOR if event.status is EventStatus.CONFIRMED else 1
        weight = WEIGHTS[event.severity] * decay * factor
        if event.severity is Severity.LOW:
            low += weight
        else:
            serious += weight
    return min(MAX_SCORE, round(min(low, LOW_SCORE_CAP) + serious))


def violations(events: Iterable[ScoredEvent], now: datetime) -> int:
    return sum(
        1
        for event in events
        if event.status is not EventStatus.DISMISSED and now - event.at <= VIOLATION_WINDOW
    )


def alert_level(score: int, violation_count: int) -> AlertLevel:
    band = next((level for floor, level in BANDS if score >= floor), AlertLevel.LOG)
    escalation = next((level for least, level in ESCALATIONS if violation_count >= least), AlertLevel.LOG)
    return AlertLevel(max(band, escalation))
