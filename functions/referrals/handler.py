"""Referrals API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.referrals import logic
from functions.referrals.models import ReferralsOut
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.rules import ReferralCaps
from twtc_core.accounts.settings import ReferralSettings
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.observability import logger, metrics, tracer
from twtc_core.pagination import DEFAULT_LIMIT, MAX_LIMIT

settings = ReferralSettings()
stores = logic.ReferralReads(ProfileStore(), ReferralStore())
terms = logic.ReferralTerms(
    caps=ReferralCaps(settings.referral_max_per_day, settings.referral_max_total),
    share_link_base_url=settings.share_link_base_url,
)
app = build_resolver()


@app.get(
    "/v1/referrals",
    summary="My referral code, link, referred users and rewards",
    responses=documented(ReferralsOut, ProfileNotFound),
)
def my_referrals(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ReferralsOut:
    return logic.my_referrals(stores, terms, caller_id(app), limit, cursor)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
