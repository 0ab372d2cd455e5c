"""The AdMob callback's answer (AdMob only looks at the status; the body helps support)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class CallbackOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "impression_id": "01JEXAMPLE0IMPRESSION00000",
                    "transaction_id": "18fa792de1bca816048293fc71035638",
                    "outcome": "CONFIRMED",
                }
            ]
        }
    )

    impression_id: str
    transaction_id: str
    outcome: Literal["CONFIRMED", "ALREADY_APPLIED"]
