"""The referral queue's message."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RewardRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    referral_id: str = Field(min_length=1, max_length=128)
