"""Admins hear of HIGH and CRITICAL fraud events on an SNS topic: the only fraud code talking to SNS."""

from __future__ import annotations

import json
from typing import Any

import boto3

from twtc_core.fraud.models import Severity

NOTIFIED = frozenset({Severity.HIGH, Severity.CRITICAL})


class FraudAlerts:
    def __init__(self, topic_arn: str, region: str) -> None:
        self._topic_arn = topic_arn
        self._client: Any = boto3.client("sns", region_name=region)

    def notify(self, event_id: str, user_id: str, fraud_type: str, severity: Severity) -> None:
        message = {"event_id": event_id, "user_id": user_id, "type": fraud_type, "severity": severity.value}
        self._client.publish(
            TopicArn=self._topic_arn,
            Subject=f"TWTC fraud event {severity.value}: {fraud_type}",
            Message=json.dumps(message),
        )
