"""Ad rules (spec §4): an impression is issued for one placement, completed only after its minimum watch
time has passed on the server's clock, and spent once by whatever it unlocks (a mining session, an AD
task). `issue` and `complete` are what other features call; spending is their own transaction's
`ImpressionStore.use_with`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from twtc_core import errors
from twtc_core.clock import utc_day, utc_now
from twtc_core.dynamo import Transaction
from twtc_core.earning.ad_units import AdUnitCatalog
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.earning.models import Impression, Placement
from twtc_core.ids import derived_id
from twtc_core.security import ActionTiming, RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore

FRAUD_SEVERITY = "LOW"  # one early completion is noise; the review queue looks for patterns


class ImpressionNotFound(errors.NotFound):
    code = "impression_not_found"


class ImpressionUsed(errors.Conflict):
    code = "impression_used"


class ImpressionExpired(errors.Invalid):
    code = "impression_expired"


class AdIncomplete(errors.Invalid):
    code = "ad_incomplete"


class NoAdUnit(errors.Conflict):
    code = "no_ad_unit"


@dataclass(frozen=True)
class AdServices:
    catalog: AdUnitCatalog
    impressions: ImpressionStore
    security: SecurityStore
    stats: StatsStore
    max_age: timedelta


def issue(
    services: AdServices, user_id: str, placement: Placement, min_watch_seconds: int | None
) -> Impression:
    """A new impression of the placement's ad unit, to be watched for at least `min_watch_seconds` (None:
    the ad unit's own minimum)."""
    unit = services.catalog.first_for(placement)
    if unit is None:
        raise NoAdUnit("No ad unit serves this placement.", {"placement": placement})
    min_watch = unit.min_watch_seconds if min_watch_seconds is None else min_watch_seconds
    return services.impressions.issue(
        user_id=user_id,
        placement=placement,
        unit=unit,
        min_watch_seconds=min_watch,
        now=utc_now(),
        max_age=services.max_age,
    )


def complete(services: AdServices, user_id: str, impression_id: str, origin: RequestOrigin) -> Impression:
    """Mark the user's impression watched: only once, only before it expires, only after its minimum
    watch time (an early claim is refused and recorded as a timing fraud signal)."""
    now = utc_now()
    impression = services.impressions.get(impression_id)
    if impression is None or impression.user_id != user_id:
        raise ImpressionNotFound("No such impression.", {"impression_id": impression_id})
    if impression.status != "ISSUED":
        raise ImpressionUsed("This impression was completed already.", {"impression_id": impression_id})
    if now >= impression.expires_at:
        raise ImpressionExpired("This impression has expired.", {"impression_id": impression_id})
    watched = (now - impression.issued_at).total_seconds()
    if watched < impression.min_watch_seconds:
        _record_early_claim(services, impression, watched, origin)
        raise AdIncomplete(
            "The ad was not watched long enough.",
            {"min_watch_seconds": impression.min_watch_seconds, "watched_seconds": int(watched)},
        )
    writes = Transaction()
    services.impressions.complete_with(writes, impression, now)
    timing = ActionTiming(required_seconds=impression.min_watch_seconds, elapsed_seconds=watched)
    services.security.log_activity_with(
        writes, user_id, "ad_completed", origin, resource=impression_id, timing=timing
    )
    services.stats.count_with(writes, utc_day(now), Metric.ADS_WATCHED)
    if writes.commit():
        raise ImpressionUsed("This impression was completed already.", {"impression_id": impression_id})
    return impression


def _record_early_claim(
    services: AdServices, impression: Impression, watched: float, origin: RequestOrigin
) -> None:
    details = {
        "impression_id": impression.impression_id,
        "placement": impression.placement,
        "watched_seconds": int(watched),
        "min_watch_seconds": impression.min_watch_seconds,
    }
    services.security.record_fraud_event(
        derived_id("ad", impression.impression_id, "early"),
        impression.user_id,
        "AD_TIMING",
        FRAUD_SEVERITY,
        details,
    )
    services.security.log_activity(
        impression.user_id, "ad_incomplete", origin, resource=impression.impression_id
    )
