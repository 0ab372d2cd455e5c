"""The admin users API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from twtc_core.wallet_views import TRANSACTION_EXAMPLE, WALLET_EXAMPLE, TransactionOut, WalletOut


class AccountAccessOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11", "enabled": False}]
        }
    )

    user_id: str
    enabled: bool = Field(description="False: the user can neither log in nor use any token they hold.")


USER_EXAMPLE: dict[str, Any] = {
    "user_id": "3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11",
    "name": "Asha Rao",
    "email": "asha@example.com",
    "phone": None,
    "referral_code": "K7MPQ2XA",
    "group": 4,
    "disabled": False,
    "alert_level": 1,
}


class UserSummaryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [USER_EXAMPLE]})

    user_id: str
    name: str | None
    email: str | None
    phone: str | None
    referral_code: str | None
    group: int | None
    disabled: bool
    alert_level: int = Field(ge=1, le=4)


class UsersOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [USER_EXAMPLE], "next_cursor": None}]}
    )

    items: list[UserSummaryOut]
    next_cursor: str | None = Field(
        default=None, description="Always null today: a query names one account (exact match)."
    )


EVENT_EXAMPLE: dict[str, Any] = {
    "event_id": "3f1c0d9e8b7a6f5e4d3c2b1a09876543",
    "type": "IMPOSSIBLE_TRAVEL",
    "severity": "HIGH",
    "status": "OPEN",
    "created_at": "2026-11-25T09:10:00Z",
}
DEVICE_EXAMPLE: dict[str, Any] = {
    "device_id": "asha-phone-0001",
    "first_seen_at": "2026-11-20T08:00:00Z",
    "last_seen_at": "2026-11-25T09:10:00Z",
    "last_ip": "198.51.100.23",
}


class RecentFraudEventOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EVENT_EXAMPLE]})

    event_id: str
    type: str
    severity: str
    status: str
    created_at: datetime


class DeviceOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [DEVICE_EXAMPLE]})

    device_id: str
    first_seen_at: str
    last_seen_at: str
    last_ip: str | None


class UserDetailOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "user": USER_EXAMPLE,
                    "created_at": "2026-11-20T08:00:05Z",
                    "kyc_status": "NONE",
                    "wallet": WALLET_EXAMPLE,
                    "recent_transactions": [TRANSACTION_EXAMPLE],
                    "score": 45,
                    "recent_fraud_events": [EVENT_EXAMPLE],
                    "devices": [DEVICE_EXAMPLE],
                }
            ]
        }
    )

    user: UserSummaryOut
    created_at: str
    kyc_status: str
    wallet: WalletOut | None = Field(description="Null for an account whose wallet is not open yet.")
    recent_transactions: list[TransactionOut] = Field(
        description="The wallet's newest movements first, at most 20 (its history as the user sees it)."
    )
    score: int = Field(ge=0, le=100)
    recent_fraud_events: list[RecentFraudEventOut] = Field(description="Newest first, at most 10.")
    devices: list[DeviceOut]
