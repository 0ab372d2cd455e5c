"""What the earning stores return: frozen domain records, never the stored items behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Placement = Literal["MINING", "TASK"]
ImpressionStatus = Literal["ISSUED", "COMPLETED", "USED"]
SessionStatus = Literal["ACTIVE", "COMPLETED"]


@dataclass(frozen=True)
class AdUnit:
    ad_unit_id: str
    placement: Placement
    network: str
    network_ad_unit_id: str
    min_watch_seconds: int


@dataclass(frozen=True)
class Impression:
    impression_id: str
    user_id: str
    placement: Placement
    ad_unit_id: str
    network: str
    network_ad_unit_id: str
    min_watch_seconds: int
    issued_at: datetime
    expires_at: datetime
    status: ImpressionStatus
    network_confirmed: bool


@dataclass(frozen=True)
class MiningSession:
    session_id: str
    user_id: str
    group: int
    started_at: datetime
    ends_at: datetime
    base_reward: int  # minor units for the whole session, before any boost
    boost_multiplier: int  # integer percent: 100 = x1.0 (settings.BOOST_NONE)
    status: SessionStatus

    @property
    def reward(self) -> int:
        """What the session earns in all, floored to a minor unit: the base (credited at settlement) and its
        boosts (each credited as it is answered)."""
        return self.base_reward * self.boost_multiplier // 100

    def accrued_at(self, moment: datetime) -> int:
        """The reward earned so far, pro rata of the elapsed time (floored), never above the reward."""
        length = (self.ends_at - self.started_at).total_seconds()
        elapsed = min(max((moment - self.started_at).total_seconds(), 0.0), length)
        return int(self.reward * elapsed // length) if length > 0 else self.reward

    def has_ended(self, moment: datetime) -> bool:
        return moment >= self.ends_at
