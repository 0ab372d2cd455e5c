"""What one user may see of a referral, shared by the API that lists a referrer's referrals and the
GDPR export: the other side only ever appears masked, with nothing that identifies them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from twtc_core.accounts.models import Referral

ReferralStatus = Literal["PENDING", "REWARDED", "CAPPED", "WITHHELD"]


class ReferredUserOut(BaseModel):
    """Someone I referred, as I see them."""

    name: str = Field(description="Masked, e.g. `B*** K****`.")
    contact: str = Field(description="Masked email or phone.")
    status: ReferralStatus
    reward: int = Field(description="Minor units credited to me for this referral.")
    joined_at: str

    @classmethod
    def from_referral(cls, item: Referral) -> ReferredUserOut:
        return cls(
            name=item.referee_name_masked,
            contact=item.referee_contact_masked,
            status=item.status,  # type: ignore[arg-type]
            reward=item.referrer_reward or 0,
            joined_at=item.created_at,
        )
