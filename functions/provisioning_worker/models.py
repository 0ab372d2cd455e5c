"""The provisioning queue's message, and what the worker learns about the user from the user pool."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ProvisioningRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str = Field(min_length=1, max_length=128)


class ConfirmedUser(BaseModel):
    user_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    device_id: str | None = None
    signup_ip: str | None = None
    referral_code: str | None = None

    @classmethod
    def from_attributes(cls, attributes: dict[str, str]) -> ConfirmedUser:
        return cls(
            user_id=attributes["sub"],
            name=attributes.get("name"),
            email=attributes.get("email"),
            phone=attributes.get("phone_number"),
            device_id=attributes.get("custom:device_id") or None,
            signup_ip=attributes.get("custom:signup_ip") or None,
            referral_code=attributes.get("custom:referral_code") or None,
        )
