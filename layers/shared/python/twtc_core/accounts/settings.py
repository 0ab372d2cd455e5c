"""Referral configuration (spec §10), shared by every function that applies the referral rules."""

from __future__ import annotations

from twtc_core.settings import BaseFunctionSettings


class ReferralSettings(BaseFunctionSettings):
    referral_reward_referrer: int = 10_000
    referral_reward_referee: int = 5_000
    referral_max_per_day: int = 10
    referral_max_total: int = 200
    share_link_base_url: str = "https://twtc.app"
