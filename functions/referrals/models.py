"""The referrals API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from twtc_core.accounts.views import ReferredUserOut


class RemainingOut(BaseModel):
    today: int
    lifetime: int


class ReferralsOut(BaseModel):
    code: str | None
    share_link: str | None
    rewarded_referrals: int
    rewards_earned: int = Field(description="Minor units credited to me for my referrals.")
    remaining: RemainingOut = Field(description="How many more referrals can be rewarded.")
    items: list[ReferredUserOut]
    next_cursor: str | None
