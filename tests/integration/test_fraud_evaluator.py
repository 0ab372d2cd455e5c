"""The fraud evaluator over the security table's real stream (moto): activity → rules → fraud events →
score → alert level, enforced by the session gate; redelivery writes nothing twice."""

from __future__ import annotations

from functions.profile.handler import lambda_handler as profile_handler
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.fraud import (
    LONDON,
    MUMBAI,
    alerts_in,
    alerts_queue,
    evaluator_stream,
    fraud_types,
    log_in_from,
)
from twtc_core.accounts.sessions import SessionStore
from twtc_core.clock import Clock, utc_day
from twtc_core.fraud.score import AlertLevel, EventStatus
from twtc_core.fraud.store import FraudStore
from twtc_core.security import ActionTiming, RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore


def test_logins_from_mumbai_then_london_ten_minutes_apart_are_impossible_travel(
    cognito: Outbox, clock: Clock
) -> None:
    # Given an account, an admin listening to fraud alerts and the evaluator on the stream
    account = accounts.open_account(cognito, "flyer@example.com")
    alerts = alerts_queue()
    stream = evaluator_stream()
    # When it logs in from Mumbai, then from London 10 minutes later
    log_in_from(account, MUMBAI)
    clock.advance(600)
    log_in_from(account, LONDON)
    report = stream.drain()
    # Then one HIGH impossible-travel event is recorded and admins are alerted, once
    assert report.failed == 0
    assert fraud_types(account.user_id) == ["IMPOSSIBLE_TRAVEL"]
    [alert] = alerts_in(alerts)
    assert (alert["type"], alert["severity"], alert["user_id"]) == (
        "IMPOSSIBLE_TRAVEL",
        "HIGH",
        account.user_id,
    )
    [queued] = FraudStore().events_with_status(EventStatus.OPEN, 10)[0]
    assert queued.evidence["distance_km"] > 7000
    # And a HIGH event alone scores 30: level 1 (logged)
    trust = FraudStore().trust_of(account.user_id)
    assert (trust.score, trust.level) == (30, AlertLevel.LOG)


def test_a_redelivered_batch_records_nothing_twice(cognito: Outbox, clock: Clock) -> None:
    # Given an impossible travel already evaluated
    account = accounts.open_account(cognito, "again@example.com")
    log_in_from(account, MUMBAI)
    clock.advance(60)
    log_in_from(account, LONDON)
    first = evaluator_stream()
    first.drain()
    before = FraudStore().trust_of(account.user_id)
    # When the whole stream is delivered again (a new reader from the stream's start)
    assert evaluator_stream().drain().failed == 0
    # Then no event, score or level changed
    assert FraudStore().trust_of(account.user_id) == before
    assert fraud_types(account.user_id) == ["IMPOSSIBLE_TRAVEL"]


def test_completions_faster_than_allowed_raise_the_level_to_cooldown_captcha_then_suspension(
    cognito: Outbox, clock: Clock
) -> None:
    # Given an account with a live session and the evaluator on the stream
    account = accounts.open_account(cognito, "speedy@example.com")
    _, tokens, _ = accounts.log_in(account.username, account.device_id)
    stream = evaluator_stream()
    security, sessions = SecurityStore(), SessionStore()

    def complete_too_fast(times: int) -> None:
        for _ in range(times):
            clock.advance(5)
            timing = ActionTiming(required_seconds=30, elapsed_seconds=4)
            security.log_activity(
                account.user_id, "task_completed", RequestOrigin(), resource="task-1", timing=timing
            )
        assert stream.drain().failed == 0

    # When it completes tasks 7x faster than allowed, three times: score 45
    complete_too_fast(3)
    trust = sessions.state_of(account.user_id).trust
    # Then it is at level 2: earning refused for the cooldown
    assert (trust.alert_level, trust.captcha_required) == (AlertLevel.COOLDOWN, False)
    assert trust.cooldown_until == int(clock.now().timestamp()) + 600
    # When twice more (score 75): level 3, a CAPTCHA is required
    complete_too_fast(2)
    assert sessions.state_of(account.user_id).trust.captcha_required
    assert sessions.state_of(account.user_id).trust.alert_level == AlertLevel.CAPTCHA
    # When twice more (score 100): level 4, suspended — every route refuses its token, login too
    complete_too_fast(2)
    assert sessions.state_of(account.user_id).trust.suspended
    clock.advance(31)  # past the session gate's cache
    status, body, _ = accounts.call(
        profile_handler,
        "http_api_me_get",
        caller=None,
        claims=accounts.claims_of(tokens["access_token"]),
    )
    assert (status, body["error"]["code"]) == (403, "account_suspended")
    status, body, _ = accounts.log_in(account.username, account.device_id)
    assert (status, body["error"]["code"]) == (403, "account_suspended")


def test_a_fourth_account_on_a_device_is_found_after_a_new_device_login_rolled_a_transaction_back(
    cognito: Outbox,
) -> None:
    # Given the evaluator reading the stream, and three accounts signed up on one phone
    stream = evaluator_stream()
    farm = [
        accounts.open_account(
            cognito, f"farm{n}@example.com", device_id="farm-phone-0001", ip=f"198.51.100.{n}"
        )
        for n in range(1, 4)
    ]
    assert stream.drain().failed == 0
    # When one of them logs in on a new device: its known-device transaction fails and is rolled back
    status, _, _ = accounts.log_in(farm[0].username, "farm-laptop-0001", ip=farm[0].ip)
    assert status == 200
    # And a fourth account signs up on the phone
    fourth = accounts.open_account(
        cognito, "farm4@example.com", device_id="farm-phone-0001", ip="198.51.100.4"
    )
    # Then the same reader still sees what came after the rollback: one MULTI_ACCOUNT event
    assert stream.drain().failed == 0
    assert fraud_types(fourth.user_id) == ["MULTI_ACCOUNT"]


def test_every_user_who_did_anything_logged_is_active_once_a_day(cognito: Outbox, clock: Clock) -> None:
    # Given two accounts: one logs in three times, the other once
    first, second = (accounts.open_account(cognito, f"{name}@example.com") for name in ("dau-one", "dau-two"))
    for _ in range(3):
        log_in_from(first, MUMBAI)
        clock.advance(60)
    log_in_from(second, MUMBAI)
    # When the evaluator reads the stream, and then reads it all again (a redelivery, a fresh container)
    assert evaluator_stream().drain().failed == 0
    assert evaluator_stream().drain().failed == 0
    StatsStore().mark_active(second.user_id, utc_day())  # another container meets the user again
    # Then each is active once today
    assert StatsStore().live(utc_day()).get(Metric.USERS_ACTIVE) == 2
