"""The profile API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from twtc_core.accounts.models import Profile, Referral
from twtc_core.accounts.views import ReferralStatus, ReferredUserOut
from twtc_core.fields import DisplayName
from twtc_core.kyc.models import KycSubmission
from twtc_core.wallet_views import TRANSACTION_EXAMPLE, WALLET_EXAMPLE, TransactionOut, WalletOut

# A sanity bound for parsing; the platform's configured bounds are the logic's to enforce.
MAX_CALL_RATE = 2**31 - 1
KycStatus = Literal["NOT_STARTED", "PENDING", "VERIFIED", "REJECTED"]
PROFILE_EXAMPLE: dict[str, Any] = {
    "id": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11",
    "name": "Asha",
    "email": "asha@example.com",
    "phone": None,
    "referral_code": "K7TQ2M",
    "group": 4,
    "kyc_status": "NOT_STARTED",
    "accepts_calls": True,
    "call_rate": 1000,
}
EXPORTED_PROFILE_EXAMPLE: dict[str, Any] = {
    **PROFILE_EXAMPLE,
    "referred_with_code": None,
    "signup_device_id": "pixel-8-3f9a1c",
    "signup_ip": "203.0.113.7",
    "referrals_rewarded": 0,
    "created_at": "2026-12-01T09:00:00Z",
}


class ProfileOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [PROFILE_EXAMPLE]})

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
    def from_profile(cls, profile: Profile) -> ProfileOut:
        return cls(
            id=profile.user_id,
            name=profile.name,
            email=profile.email,
            phone=profile.phone,
            referral_code=profile.referral_code,
            group=profile.group,
            kyc_status=profile.kyc_status,  # type: ignore[arg-type]
            accepts_calls=profile.accepts_calls,
            call_rate=profile.call_rate,
        )


class ProfilePatch(BaseModel):
    """Send at least one field; the ones left out stay as they are."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"name": "Asha K"}, {"accepts_calls": True, "call_rate": 1500}]},
    )

    name: DisplayName | None = None
    accepts_calls: bool | None = None
    call_rate: int | None = Field(
        None, ge=0, le=MAX_CALL_RATE, description="Minor units per minute, within the platform's bounds."
    )

    @model_validator(mode="after")
    def something_to_change(self) -> ProfilePatch:
        if not self.model_fields_set:
            raise ValueError("Give at least one field to change.")
        return self

    def changes(self) -> dict[str, Any]:
        return {
            name: getattr(self, name) for name in self.model_fields_set if getattr(self, name) is not None
        }


class ExportedProfileOut(ProfileOut):
    """My profile with what was recorded when I signed up."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXPORTED_PROFILE_EXAMPLE]})

    referred_with_code: str | None
    signup_device_id: str | None
    signup_ip: str | None
    referrals_rewarded: int
    created_at: str

    @classmethod
    def from_profile(cls, profile: Profile) -> ExportedProfileOut:
        return cls(
            **ProfileOut.from_profile(profile).model_dump(),
            referred_with_code=profile.referred_with_code,
            signup_device_id=profile.signup_device_id,
            signup_ip=profile.signup_ip,
            referrals_rewarded=profile.referrals_rewarded,
            created_at=profile.created_at,
        )


class ReferredByOut(BaseModel):
    """How I joined: the code I used, and what the referral gave me."""

    referral_code: str | None
    status: ReferralStatus
    reward: int = Field(description="Minor units credited to me for joining with the code.")
    joined_at: str

    @classmethod
    def from_referral(cls, referral: Referral, code: str | None) -> ReferredByOut:
        return cls(
            referral_code=code,
            status=referral.status,  # type: ignore[arg-type]
            reward=referral.referee_reward or 0,
            joined_at=referral.created_at,
        )


class ExportedDeviceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    device_id: str
    first_seen_at: str
    last_seen_at: str
    last_ip: str | None


class ExportedActivityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    resource: str | None
    ip: str | None
    user_agent: str | None
    device_id: str | None
    at: str


class ExportedKycOut(BaseModel):
    """My latest identity verification: the document number only masked (the full one is never kept)."""

    status: str
    doc_type: str
    masked_number: str
    reason: str | None
    submitted_at: str
    decided_at: str | None

    @classmethod
    def from_submission(cls, submission: KycSubmission) -> ExportedKycOut:
        return cls(
            status=submission.status.value,
            doc_type=submission.doc_type.value,
            masked_number=submission.masked_number,
            reason=submission.reason,
            submitted_at=submission.created_at,
            decided_at=submission.decided_at,
        )


class ExportOut(BaseModel):
    """Everything held about the caller (GDPR access and portability); other users appear only as my
    referrals list shows them (masked)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user_id": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11",
                    "exported_at": "2026-12-05T05:20:00Z",
                    "profile": EXPORTED_PROFILE_EXAMPLE,
                    "wallet": WALLET_EXAMPLE,
                    "transactions": [TRANSACTION_EXAMPLE],
                    "transactions_next_cursor": None,
                    "referrals_made": [],
                    "referrals_next_cursor": None,
                    "referred_by": None,
                    "devices": [
                        {
                            "device_id": "pixel-8-3f9a1c",
                            "first_seen_at": "2026-12-01T09:00:00Z",
                            "last_seen_at": "2026-12-05T05:19:00Z",
                            "last_ip": "203.0.113.7",
                        }
                    ],
                    "activity": [
                        {
                            "action": "login",
                            "resource": None,
                            "ip": "203.0.113.7",
                            "user_agent": "TWTC/1.0 Android",
                            "device_id": "pixel-8-3f9a1c",
                            "at": "2026-12-05T05:19:00Z",
                        }
                    ],
                    "activity_complete": True,
                }
            ]
        }
    )

    user_id: str
    exported_at: str
    profile: ExportedProfileOut
    wallet: WalletOut | None
    transactions: list[TransactionOut] = Field(description="My newest entries (at most 1,000).")
    transactions_next_cursor: str | None = Field(
        description="More entries: continue with GET /v1/wallet/transactions?cursor=<this>."
    )
    referrals_made: list[ReferredUserOut] = Field(description="My newest referrals (at most 1,000).")
    referrals_next_cursor: str | None = Field(
        description="More referrals: continue with GET /v1/referrals?cursor=<this>."
    )
    referred_by: ReferredByOut | None
    devices: list[ExportedDeviceOut]
    activity: list[ExportedActivityOut] = Field(description="My newest activity (at most 1,000).")
    activity_complete: bool = Field(description="False when older activity exists beyond this list.")
    kyc: ExportedKycOut | None = Field(description="My latest identity verification, if any.")
