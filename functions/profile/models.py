"""The profile API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from twtc_core.accounts.store import ProfileItem

KycStatus = Literal["NOT_STARTED", "PENDING", "VERIFIED", "REJECTED"]


class ProfileOut(BaseModel):
    id: str
    name: str | None
    email: str | None
    phone: str | None
    referral_code: str | None
    group: int | None = Field(description="Mining group 1-10.")
    kyc_status: KycStatus
    accepts_calls: bool
    call_rate: int = Field(description="Minor units per minute a caller pays this host.")

    @classmethod
    def from_item(cls, item: ProfileItem) -> ProfileOut:
        return cls(
            id=item.user_id,
            name=item.name,
            email=item.email,
            phone=item.phone,
            referral_code=item.referral_code,
            group=int(item.group) if item.group is not None else None,
            kyc_status=item.kyc_status,  # type: ignore[arg-type]
            accepts_calls=bool(item.accepts_calls),
            call_rate=int(item.call_rate),
        )


class ProfilePatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    accepts_calls: bool | None = None
    call_rate: int | None = Field(None, description="Minor units per minute, within the platform's bounds.")

    @model_validator(mode="after")
    def something_to_change(self) -> ProfilePatch:
        if not self.model_fields_set:
            raise ValueError("Give at least one field to change.")
        return self

    def changes(self) -> dict[str, Any]:
        return {
            name: getattr(self, name) for name in self.model_fields_set if getattr(self, name) is not None
        }


class ExportOut(BaseModel):
    """Everything held about the caller (GDPR access and portability)."""

    user_id: str
    exported_at: str
    profile: dict[str, Any]
    wallet: dict[str, Any] | None
    transactions: list[dict[str, Any]]
    referrals_made: list[dict[str, Any]]
    referred_by: dict[str, Any] | None
    devices: list[dict[str, Any]]
    activity: list[dict[str, Any]]
