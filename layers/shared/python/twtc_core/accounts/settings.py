"""Referral configuration (spec §10), shared by every function that applies the referral rules. The
values come from `infra_cdk.wiring.SETTINGS` (CDK and the local runtime set them); no defaults here."""

from __future__ import annotations

from twtc_core.settings import BaseFunctionSettings


class ReferralSettings(BaseFunctionSettings):
    referral_reward_referrer: int
    referral_reward_referee: int
    referral_max_per_day: int
    referral_max_total: int
    share_link_base_url: str
