"""What the accounts stores return: frozen domain records, never the stored items behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeGuard

ACTIVE = "ACTIVE"  # a profile's status until its erasure starts (then DELETED)


@dataclass(frozen=True)
class Profile:
    user_id: str
    status: str
    name: str | None
    email: str | None
    phone: str | None
    referral_code: str | None
    group: int | None
    kyc_status: str
    accepts_calls: bool
    call_rate: int
    referred_with_code: str | None
    signup_device_id: str | None
    signup_ip: str | None
    referrals_rewarded: int  # the lifetime cap counter
    referral_rewards_earned: int  # what those rewards credited
    created_at: str
    deleted_at: str | None
    email_identity: str | None  # the inbox digest, released by erasure
    erasure_pending: frozenset[str]  # erasure steps still to run
    disabled: bool  # by an admin: no login, no session, and no referral earnings until enabled


def is_active(profile: Profile | None) -> TypeGuard[Profile]:
    """The one "account is usable" rule: a profile exists and its erasure has not started."""
    return profile is not None and profile.status == ACTIVE


def can_refer(profile: Profile | None) -> TypeGuard[Profile]:
    """Whose referral code earns: an active account no admin has disabled."""
    return is_active(profile) and not profile.disabled


def takes_calls(profile: Profile | None) -> TypeGuard[Profile]:
    """Who is a host in the lobby: an active account no admin has disabled that accepts calls."""
    return is_active(profile) and not profile.disabled and profile.accepts_calls


@dataclass(frozen=True)
class ReferralCode:
    code: str
    user_id: str  # its owner
    retired: bool


@dataclass(frozen=True)
class Device:
    user_id: str
    device_id: str
    first_seen_at: str
    last_seen_at: str
    last_ip: str | None


@dataclass(frozen=True)
class Referral:
    referral_id: str  # the referee's user id: one referral per referee
    referrer_id: str
    referee_id: str
    status: str  # PENDING | REWARDED | CAPPED | WITHHELD
    reason: str | None
    referee_name_masked: str
    referee_contact_masked: str
    referee_device_id: str | None
    referee_ip: str | None
    referrer_reward: int | None  # what each side is credited, fixed when rewarded
    referee_reward: int | None
    created_at: str
    decided_at: str | None


@dataclass(frozen=True)
class SignupPass:
    """What the API checked for a sign-up of this contact, valid until `expires_at` (epoch seconds)."""

    device_id: str | None
    signup_ip: str | None
    referral_code: str | None
    expires_at: int

    def admits(
        self, device_id: str | None, signup_ip: str | None, referral_code: str | None, now: datetime
    ) -> bool:
        """Whether these are the sign-up attributes the API checked, and the check is recent."""
        checked = (self.device_id, self.signup_ip, self.referral_code)
        return checked == (device_id, signup_ip, referral_code) and now.timestamp() < self.expires_at
