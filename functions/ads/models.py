"""The ads API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from twtc_core.clock import iso
from twtc_core.earning.models import Impression, ImpressionStatus, Placement


class ImpressionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"placement": "MINING"}]})

    placement: Placement = Field(description="MINING unlocks a mining session; TASK an AD task.")


class ImpressionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "impression_id": "01JEXAMPLE0IMPRESSION00000",
                    "placement": "MINING",
                    "network": "ADMOB",
                    "ad_unit_id": "mining-rewarded",
                    "network_ad_unit_id": "ca-app-pub-3940256099942544/5224354917",
                    "min_watch_seconds": 60,
                    "issued_at": "2026-11-25T09:00:00.000Z",
                    "expires_at": "2026-11-25T09:10:00.000Z",
                    "status": "ISSUED",
                }
            ]
        }
    )

    impression_id: str = Field(
        description="Give it to the ad SDK as the server-side verification custom_data."
    )
    placement: Placement
    network: str
    ad_unit_id: str = Field(description="Our ad unit (content catalog).")
    network_ad_unit_id: str = Field(description="The ad network's unit id to load.")
    min_watch_seconds: int = Field(description="Complete it no sooner than this after it was issued.")
    issued_at: str
    expires_at: str = Field(description="Complete and spend it before this instant.")
    status: ImpressionStatus

    @classmethod
    def from_impression(cls, impression: Impression, status: ImpressionStatus | None = None) -> ImpressionOut:
        return cls(
            impression_id=impression.impression_id,
            placement=impression.placement,
            network=impression.network,
            ad_unit_id=impression.ad_unit_id,
            network_ad_unit_id=impression.network_ad_unit_id,
            min_watch_seconds=impression.min_watch_seconds,
            issued_at=iso(impression.issued_at),
            expires_at=iso(impression.expires_at),
            status=status or impression.status,
        )
