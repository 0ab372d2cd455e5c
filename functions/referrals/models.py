"""The referrals API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from twtc_core.accounts.views import ReferredUserOut


class RemainingOut(BaseModel):
    today: int
    lifetime: int


class ReferralsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "K7TQ2M",
                    "share_link": "https://twtc.app/r/K7TQ2M",
                    "rewarded_referrals": 1,
                    "rewards_earned": 10000,
                    "remaining": {"today": 9, "lifetime": 199},
                    "items": [
                        {
                            "name": "B*** K****",
                            "contact": "b***@example.com",
                            "status": "REWARDED",
                            "reward": 10000,
                            "joined_at": "2026-12-02T10:00:00Z",
                        }
                    ],
                    "next_cursor": None,
                }
            ]
        }
    )

    code: str | None
    share_link: str | None
    rewarded_referrals: int
    rewards_earned: int = Field(description="Minor units credited to me for my referrals.")
    remaining: RemainingOut = Field(description="How many more referrals can be rewarded.")
    items: list[ReferredUserOut]
    next_cursor: str | None
