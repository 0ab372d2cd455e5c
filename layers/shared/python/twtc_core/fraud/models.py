"""What the fraud rules read (one user's actions) and what they find. Plain frozen data, no storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


@dataclass(frozen=True)
class Action:
    """One logged action (the security table's ACTIVITY# item)."""

    user_id: str
    activity_id: str  # the item's sort key: `<at>#<id>`, unique per user
    action: str
    at: datetime
    ip: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    device_id: str | None = None
    session_id: str | None = None
    resource: str | None = None
    required_seconds: int | None = None
    elapsed_seconds: float | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Situation:
    """What a rule sees: the action just logged, the user's earlier actions (newest first) and the
    accounts known on the action's device (the user's own included)."""

    trigger: Action
    earlier: tuple[Action, ...] = ()
    accounts_on_device: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Finding:
    """A rule's hit. `key` names what the finding is about when that is not the triggering action (e.g.
    the device of a multi-account finding), so the same fact is one fraud event however often it is seen."""

    type: str
    severity: Severity
    evidence: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
