"""What a user sees of their own referrals: code, share link, who joined (masked) and what it earned,
and how much of the caps is left."""

from __future__ import annotations

from dataclasses import dataclass

from functions.referrals.models import ReferralsOut, RemainingOut
from twtc_core.accounts import codes
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.models import is_active
from twtc_core.accounts.rules import ReferralCaps
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.accounts.views import ReferredUserOut
from twtc_core.clock import utc_now


@dataclass(frozen=True)
class ReferralReads:
    profiles: ProfileStore
    referrals: ReferralStore


@dataclass(frozen=True)
class ReferralTerms:
    caps: ReferralCaps
    share_link_base_url: str


def my_referrals(
    stores: ReferralReads, terms: ReferralTerms, user_id: str, limit: int, cursor: str | None
) -> ReferralsOut:
    profile = stores.profiles.get(user_id)
    if not is_active(profile):
        raise ProfileNotFound("No profile for this user.")
    items, next_cursor = stores.referrals.page(user_id, limit, cursor)
    rewarded = profile.referrals_rewarded
    rewarded_today = stores.referrals.rewarded_on(user_id, utc_now().date().isoformat())
    code = profile.referral_code
    return ReferralsOut(
        code=code,
        share_link=codes.share_link(terms.share_link_base_url, code) if code else None,
        rewarded_referrals=rewarded,
        # Counted in the transaction that rewarded each referral, so it is what was credited.
        rewards_earned=profile.referral_rewards_earned,
        remaining=RemainingOut(
            today=max(0, min(terms.caps.per_day - rewarded_today, terms.caps.lifetime - rewarded)),
            lifetime=max(0, terms.caps.lifetime - rewarded),
        ),
        items=[ReferredUserOut.from_referral(item) for item in items],
        next_cursor=next_cursor,
    )
