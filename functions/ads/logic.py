"""Ads API rules: which minimum watch time an impression asked for by the app gets."""

from __future__ import annotations

from functions.ads.models import ImpressionOut
from twtc_core.earning import ads
from twtc_core.earning.models import Placement
from twtc_core.security import RequestOrigin


def issue_impression(
    services: ads.AdServices, user_id: str, placement: Placement, mining_ad_seconds: int
) -> ImpressionOut:
    """A MINING ad is watched MINING_AD_SECONDS; a TASK ad as long as its ad unit says (an AD task that
    sets its own time issues through `ads.issue` itself)."""
    min_watch = mining_ad_seconds if placement == "MINING" else None
    return ImpressionOut.from_impression(ads.issue(services, user_id, placement, min_watch))


def complete_impression(
    services: ads.AdServices, user_id: str, impression_id: str, origin: RequestOrigin
) -> ImpressionOut:
    return ImpressionOut.from_impression(ads.complete(services, user_id, impression_id, origin), "COMPLETED")
