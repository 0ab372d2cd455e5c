"""Evaluating one logged action: run every rule over the user's recent activity, record each finding as a
fraud event with an id derived from (rule, user, what it is about), alert admins of HIGH and CRITICAL ones,
and reassess the user's trust. A redelivered record finds its events recorded already and changes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.clock import utc_day
from twtc_core.fraud.alerts import NOTIFIED, FraudAlerts
from twtc_core.fraud.models import Action, Finding, Situation
from twtc_core.fraud.rules import findings_for
from twtc_core.fraud.score import EventStatus, ScoredEvent
from twtc_core.fraud.store import FraudEvent, FraudStore
from twtc_core.fraud.trust import TrustServices, reassess, with_events
from twtc_core.ids import derived_id
from twtc_core.stats import Metric, StatsStore

LOOKBACK = timedelta(hours=24)  # longer than any rule's window (mining's 4 hours, sessions' 10 minutes)
MAX_EARLIER_ACTIONS = 50
MAX_DEVICE_ACCOUNTS = 20  # enough to tell "more than 3" and to show an admin the farm


@dataclass(frozen=True)
class EvaluatorServices:
    fraud: FraudStore
    devices: DeviceStore
    alerts: FraudAlerts
    trust: TrustServices
    stats: StatsStore


def fraud_event_id(action: Action, finding: Finding) -> str:
    """The same finding about the same thing is the same event, however often its record is delivered."""
    subject = finding.key or action.activity_id
    return hashlib.sha256(derived_id("fraud", finding.type, action.user_id, subject).encode()).hexdigest()[
        :32
    ]


def evaluate(services: EvaluatorServices, action: Action) -> list[str]:
    """The ids of the fraud events this action newly caused. The action's user is active on its day (DAU:
    whoever did anything logged — a login, an earning or spending action — counted here, off the request
    path)."""
    services.stats.mark_active(action.user_id, utc_day(action.at))
    earlier = services.fraud.actions_before(action, action.at - LOOKBACK, MAX_EARLIER_ACTIONS)
    accounts = (
        services.devices.accounts_on(action.device_id, MAX_DEVICE_ACCOUNTS)
        if action.device_id
        else frozenset()
    )
    findings = findings_for(Situation(action, earlier, accounts))
    if not findings:
        return []
    events = [
        FraudEvent(
            event_id=fraud_event_id(action, finding),
            user_id=action.user_id,
            type=finding.type,
            severity=finding.severity,
            status=EventStatus.OPEN,
            evidence={**finding.evidence, "activity_id": action.activity_id},
            created_at=action.at,
        )
        for finding in findings
    ]
    recorded = [event for event in events if services.fraud.record_event(event)]
    for event in recorded:
        services.stats.count(utc_day(event.created_at), Metric.fraud(event.type))
    for event in recorded:
        if event.severity in NOTIFIED:
            services.alerts.notify(event.event_id, event.user_id, event.type, event.severity)
    # Every event, not only the new ones: a retry after a failed reassessment still scores them.
    scored = [ScoredEvent(e.event_id, e.type, e.severity, e.created_at) for e in events]
    reassess(services.trust, action.user_id, with_events(scored, services.trust.cooldown_seconds))
    return [event.event_id for event in recorded]
