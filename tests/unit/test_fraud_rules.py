"""Each fraud rule over tables of situations (spec §9): what it finds, and what it must not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from twtc_core.fraud.models import Action, Finding, Severity, Situation
from twtc_core.fraud.rules import (
    action_timing,
    duplicate_sessions,
    findings_for,
    impossible_travel,
    multi_account,
)

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
MUMBAI = (19.076, 72.8777)
LONDON = (51.5072, -0.1276)
MUMBAI_AIRPORT = (19.0896, 72.8656)  # ~2 km from the centre
PUNE = (18.5204, 73.8567)  # ~120 km from Mumbai


def action(name: str, seconds: float = 0, **facts: object) -> Action:
    at = T0 + timedelta(seconds=seconds)
    return Action(user_id="u1", activity_id=f"{at.isoformat()}#{name}", action=name, at=at, **facts)  # type: ignore[arg-type]


def at(place: tuple[float, float], seconds: float) -> Action:
    return action("login", seconds, latitude=place[0], longitude=place[1])


def types(findings: list[Finding]) -> list[str]:
    return [finding.type for finding in findings]


@pytest.mark.parametrize(
    ("trigger", "earlier", "expected"),
    [
        # a mining restart inside the 4-hour session, and one after it
        (action("mining_started", 3 * 3600), [action("mining_started")], ["MINING_RESTART"]),
        (action("mining_started", 4 * 3600), [action("mining_started")], []),
        # a completion faster than its content allows, exactly as fast, slower, and one without timing
        (action("task_completed", required_seconds=30, elapsed_seconds=12.5), [], ["COMPLETED_TOO_FAST"]),
        # a completion refused as early is recorded with its timing: the same evidence
        (action("task_claimed_early", required_seconds=30, elapsed_seconds=2), [], ["COMPLETED_TOO_FAST"]),
        (action("task_completed", required_seconds=30, elapsed_seconds=30), [], []),
        (action("ad_completed", required_seconds=15, elapsed_seconds=40), [], []),
        (action("task_completed"), [], []),
        # the same earning action under a second apart; a second apart; different actions at once
        (action("boost_answered", 0.4), [action("boost_answered")], ["RAPID_REPEAT"]),
        (action("ad_completed", 0.4), [action("ad_completed")], ["RAPID_REPEAT"]),
        (action("task_started", 0.1), [action("task_started")], ["RAPID_REPEAT"]),
        (action("task_completed", 0.1), [action("task_completed")], ["RAPID_REPEAT"]),
        (action("boost_answered", 1.0), [action("boost_answered")], []),
        (action("task_completed", 0.1), [action("task_started")], []),
        # a restart 0.2 s after a start is both
        (action("mining_started", 0.2), [action("mining_started")], ["MINING_RESTART", "RAPID_REPEAT"]),
        # only the newest earlier action of the same kind counts
        (
            action("mining_started", 5 * 3600),
            [action("mining_started", 2 * 3600), action("mining_started")],
            ["MINING_RESTART"],
        ),
        # actions that earn nothing are never timed: a profile saved thrice in a second, a double tap
        (action("profile_change", 0.2), [action("profile_change", 0.1), action("profile_change")], []),
        (action("login", 0.3), [action("login")], []),
        (action("withdrawal_requested", 0.5), [action("withdrawal_requested")], []),
        (action("export", 0.1, required_seconds=30, elapsed_seconds=1), [action("export")], []),
    ],
)
def test_action_timing(trigger: Action, earlier: list[Action], expected: list[str]) -> None:
    assert types(action_timing.evaluate(Situation(trigger, tuple(earlier)))) == expected


A, B = "session-a", "session-b"


@pytest.mark.parametrize(
    ("trigger", "earlier", "expected"),
    [
        # A acted, then B, now A again within 10 minutes: two live sessions
        (
            action("x", 300, session_id=A),
            [action("x", 200, session_id=B), action("x", 100, session_id=A)],
            True,
        ),
        # B replaced A (a new device): A never acts after B
        (
            action("x", 300, session_id=B),
            [action("x", 200, session_id=B), action("x", 100, session_id=A)],
            False,
        ),
        # the interleaving is older than the window
        (
            action("x", 1300, session_id=A),
            [action("x", 200, session_id=B), action("x", 100, session_id=A)],
            False,
        ),
        # one session only; actions without a session (logins) do not count
        (action("x", 300, session_id=A), [action("x", 200, session_id=A)], False),
        (action("x", 300, session_id=A), [action("login", 200), action("x", 100, session_id=A)], False),
        (action("login", 300), [action("x", 200, session_id=B), action("x", 100, session_id=A)], False),
    ],
)
def test_duplicate_sessions(trigger: Action, earlier: list[Action], expected: bool) -> None:
    found = duplicate_sessions.evaluate(Situation(trigger, tuple(earlier)))
    assert types(found) == (["DUPLICATE_SESSION"] if expected else [])


@pytest.mark.parametrize(
    ("device", "others", "expected"),
    [
        ("phone-1", {"u2", "u3"}, False),  # 3 accounts: the limit
        ("phone-1", {"u2", "u3", "u4"}, True),  # the fourth
        ("phone-1", {"u1", "u2", "u3"}, False),  # the user's own record counts once
        (None, {"u2", "u3", "u4"}, False),  # no device named
    ],
)
def test_multi_account(device: str | None, others: set[str], expected: bool) -> None:
    trigger = action("signup", device_id=device)
    found = multi_account.evaluate(Situation(trigger, accounts_on_device=frozenset(others)))
    assert types(found) == (["MULTI_ACCOUNT"] if expected else [])
    if expected:
        assert found[0].key == "device:phone-1" and found[0].severity is Severity.HIGH
        assert found[0].evidence["accounts"] == sorted({*others, "u1"})


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(MUMBAI, 0), at(LONDON, 600), True),  # 7,200 km in 10 minutes
        (at(MUMBAI, 0), at(LONDON, 10 * 3600), False),  # a flight: ~720 km/h
        (at(MUMBAI, 0), at(MUMBAI_AIRPORT, 1), False),  # under 50 km: noise, however fast
        (at(MUMBAI, 0), at(PUNE, 60), True),  # 120 km in a minute
        (at(MUMBAI, 0), at(PUNE, 3600), False),  # 120 km/h
        (at(MUMBAI, 0), at(LONDON, 0), True),  # the same instant, far apart
        (at(MUMBAI, 0), action("login", 600), False),  # the trigger has no location
    ],
)
def test_impossible_travel(start: Action, end: Action, expected: bool) -> None:
    found = impossible_travel.evaluate(Situation(end, (start,)))
    assert types(found) == (["IMPOSSIBLE_TRAVEL"] if expected else [])


def test_impossible_travel_compares_with_the_last_located_action() -> None:
    # Given a located login in London, then an unlocated action
    earlier = (action("task_complete", 500), at(LONDON, 0))
    # When the user shows up in Mumbai 10 minutes after London
    found = impossible_travel.evaluate(Situation(at(MUMBAI, 600), earlier))
    # Then it is measured from London
    assert types(found) == ["IMPOSSIBLE_TRAVEL"]
    assert 7000 < found[0].evidence["distance_km"] < 7300


def test_haversine_distance_mumbai_london() -> None:
    assert 7150 < impossible_travel.distance_km(at(MUMBAI, 0), at(LONDON, 0)) < 7250


def test_every_rule_runs() -> None:
    trigger = replace(
        at(LONDON, 0.5), action="task_completed", device_id="phone-1", required_seconds=10, elapsed_seconds=1
    )
    situation = Situation(
        trigger, (replace(at(MUMBAI, 0), action="task_completed"),), frozenset({"u2", "u3", "u4"})
    )
    assert sorted(types(findings_for(situation))) == [
        "COMPLETED_TOO_FAST",
        "IMPOSSIBLE_TRAVEL",
        "MULTI_ACCOUNT",
        "RAPID_REPEAT",
    ]
