"""The admin users API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AccountAccessOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11", "enabled": False}]
        }
    )

    user_id: str
    enabled: bool = Field(description="False: the user can neither log in nor use any token they hold.")
