"""AdMob callback rules: a verified callback marks the impression it names network-confirmed, once per
AdMob transaction; a callback for an impression we never issued (to that user) changes nothing."""

from __future__ import annotations

from functions.admob_ssv.models import CallbackOut
from twtc_core.clock import utc_now
from twtc_core.earning.admob import AdMobVerifier
from twtc_core.earning.ads import ImpressionNotFound
from twtc_core.earning.impressions import ImpressionStore


def confirm_reward(verifier: AdMobVerifier, impressions: ImpressionStore, raw_query: str) -> CallbackOut:
    reward = verifier.verify(raw_query)
    impression = impressions.get(reward.impression_id)
    if impression is None or (reward.user_id is not None and reward.user_id != impression.user_id):
        raise ImpressionNotFound("No such impression.", {"impression_id": reward.impression_id})
    applied = impressions.confirm_by_network(reward.impression_id, reward.transaction_id, utc_now())
    return CallbackOut(
        impression_id=reward.impression_id,
        transaction_id=reward.transaction_id,
        outcome="CONFIRMED" if applied else "ALREADY_APPLIED",
    )
