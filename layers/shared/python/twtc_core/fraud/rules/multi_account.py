"""More than 3 accounts on one device (MULTI_ACCOUNT): farms of accounts share a phone. One finding per
user and device, however often the device is seen."""

from __future__ import annotations

from twtc_core.fraud.models import Finding, Severity, Situation

MAX_ACCOUNTS_PER_DEVICE = 3
MULTI_ACCOUNT = "MULTI_ACCOUNT"


def evaluate(situation: Situation) -> list[Finding]:
    device = situation.trigger.device_id
    accounts = situation.accounts_on_device | {situation.trigger.user_id}
    if device is None or len(accounts) <= MAX_ACCOUNTS_PER_DEVICE:
        return []
    evidence = {"device_id": device, "accounts": sorted(accounts)}
    return [Finding(MULTI_ACCOUNT, Severity.HIGH, evidence, key=f"device:{device}")]
