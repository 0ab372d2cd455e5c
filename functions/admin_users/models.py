"""The admin users API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AccountAccessOut(BaseModel):
    user_id: str
    enabled: bool = Field(description="False: the user can neither log in nor use any token they hold.")
