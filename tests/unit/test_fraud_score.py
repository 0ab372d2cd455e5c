"""The anomaly score and the alert level mapping (docs/fraud.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from twtc_core.fraud.models import Severity
from twtc_core.fraud.score import (
    AlertLevel,
    EventStatus,
    ScoredEvent,
    alert_level,
    anomaly_score,
    violations,
)

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def event(severity: Severity, hours_ago: float = 0, status: EventStatus = EventStatus.OPEN) -> ScoredEvent:
    return ScoredEvent(f"e-{severity}-{hours_ago}", "X", severity, NOW - timedelta(hours=hours_ago), status)


@pytest.mark.parametrize(
    ("events", "score"),
    [
        ([], 0),
        ([event(Severity.LOW)], 5),
        ([event(Severity.MEDIUM)], 15),
        ([event(Severity.HIGH)], 30),
        ([event(Severity.CRITICAL)], 60),
        ([event(Severity.HIGH, hours_ago=24)], 15),  # one half-life
        ([event(Severity.HIGH, hours_ago=48)], 8),  # two: 7.5 rounds to 8
        ([event(Severity.CRITICAL, hours_ago=31 * 24)], 0),  # past the 30-day horizon
        ([event(Severity.HIGH, status=EventStatus.DISMISSED)], 0),
        ([event(Severity.HIGH, status=EventStatus.CONFIRMED)], 60),
        ([event(Severity.CRITICAL)] * 3, 100),  # capped
        ([event(Severity.MEDIUM)] * 3, 45),
        ([event(Severity.LOW)] * 12, 60),
        ([event(Severity.LOW)] * 20, 60),  # LOW findings together add at most 60
        ([event(Severity.LOW, status=EventStatus.CONFIRMED)] * 20, 60),
        ([event(Severity.LOW)] * 20 + [event(Severity.MEDIUM)], 75),  # worse evidence still adds
    ],
)
def test_score(events: list[ScoredEvent], score: int) -> None:
    assert anomaly_score(events, NOW) == score


@pytest.mark.parametrize(
    ("score", "violation_count", "level"),
    [
        (0, 0, AlertLevel.LOG),
        (30, 0, AlertLevel.LOG),
        (31, 0, AlertLevel.COOLDOWN),
        (60, 0, AlertLevel.COOLDOWN),
        (61, 0, AlertLevel.CAPTCHA),
        (80, 0, AlertLevel.CAPTCHA),
        (81, 0, AlertLevel.SUSPENDED),
        (100, 0, AlertLevel.SUSPENDED),
        (25, 4, AlertLevel.LOG),
        (25, 5, AlertLevel.COOLDOWN),  # many light findings escalate
        (25, 8, AlertLevel.CAPTCHA),
        (90, 8, AlertLevel.SUSPENDED),  # the band wins when higher
    ],
)
def test_level(score: int, violation_count: int, level: AlertLevel) -> None:
    assert alert_level(score, violation_count) is level


def test_violations_count_the_last_day_without_dismissed_events() -> None:
    events = [
        event(Severity.LOW, 1),
        event(Severity.LOW, 23),
        event(Severity.LOW, 25),
        event(Severity.LOW, 2, EventStatus.DISMISSED),
    ]
    assert violations(events, NOW) == 2


@pytest.mark.parametrize("count", [1, 5, 8, 17, 50])
@pytest.mark.parametrize("status", [EventStatus.OPEN, EventStatus.CONFIRMED])
def test_low_findings_alone_never_suspend(count: int, status: EventStatus) -> None:
    # Given only LOW findings, all fresh (a script double-submitting an earning action)
    events = [ScoredEvent(f"e-{n}", "RAPID_REPEAT", Severity.LOW, NOW, status) for n in range(count)]
    # When they are scored and counted
    level = alert_level(anomaly_score(events, NOW), violations(events, NOW))
    # Then they cool down and ask for a CAPTCHA at most, never suspend
    assert level <= AlertLevel.CAPTCHA
    assert level >= (AlertLevel.CAPTCHA if count >= 8 else AlertLevel.LOG)
