"""Earning configuration (spec §10), shared by the ads, AdMob, mining and group functions. The values come
from `infra_cdk.wiring.SETTINGS` (CDK and the local runtime set them); no defaults here."""

from __future__ import annotations

from datetime import timedelta

from twtc_core.settings import BaseFunctionSettings

COOLDOWN = timedelta(hours=4)  # spec §4: a new session at least 4 h after the last start
IDLE_AFTER = timedelta(days=7)  # a miner who has not started a session for this long is idle (rebalance)
BOOST_NONE = 100  # boost_multiplier is an integer percent: 100 = x1.0, 150 = x1.5


class EarningSettings(BaseFunctionSettings):
    mining_base_rate_per_hour: int
    mining_session_hours: int
    mining_window_minutes: int
    mining_ad_seconds: int
    impression_ttl_minutes: int
    require_ad_ssv: bool
    admob_verifier_keys_url: str
    mining_groups: int

    @property
    def session_length(self) -> timedelta:
        return timedelta(hours=self.mining_session_hours)

    @property
    def base_reward(self) -> int:
        return self.mining_base_rate_per_hour * self.mining_session_hours

    @property
    def impression_max_age(self) -> timedelta:
        return timedelta(minutes=self.impression_ttl_minutes)
