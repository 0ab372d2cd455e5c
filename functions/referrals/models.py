"""The referrals API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from twtc_core.accounts.store import ReferralItem

ReferralStatus = Literal["PENDING", "REWARDED", "CAPPED", "WITHHELD"]


class ReferredUserOut(BaseModel):
    name: str = Field(description="Masked, e.g. `B*** K****`.")
    contact: str = Field(description="Masked email or phone.")
    status: ReferralStatus
    reward: int = Field(description="Minor units credited to me for this referral.")
    joined_at: str

    @classmethod
    def from_item(cls, item: ReferralItem, referrer_reward: int) -> ReferredUserOut:
        return cls(
            name=item.referee_name_masked,
            contact=item.referee_contact_masked,
            status=item.status,  # type: ignore[arg-type]
            reward=referrer_reward if item.status == "REWARDED" else 0,
            joined_at=item.created_at,
        )


class RemainingOut(BaseModel):
    today: int
    lifetime: int


class ReferralsOut(BaseModel):
    code: str | None
    share_link: str | None
    rewarded_referrals: int
    rewards_earned: int = Field(description="Minor units earned from referrals.")
    remaining: RemainingOut = Field(description="How many more referrals can be rewarded.")
    items: list[ReferredUserOut]
    next_cursor: str | None
