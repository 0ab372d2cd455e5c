"""The CAPTCHA API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CaptchaIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"token": "10000000-aaaa-bbbb-cccc-000000000001"}]}
    )

    token: str = Field(
        min_length=1, max_length=4096, description="The widget's response token (h-captcha-response)."
    )


class CaptchaOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"alert_level": 2, "captcha_required": False}]})

    alert_level: int = Field(ge=1, le=4)
    captcha_required: bool
