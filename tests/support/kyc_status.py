"""A user's KYC status set directly on their profile: the KYC flow (issue 12, the KYC half) owns the real
way; withdrawal tests only need a user who is, or is not, verified. Tests may touch the model."""

from __future__ import annotations

from twtc_core.accounts.stores._table import user_key
from twtc_core.accounts.stores.profiles import PROFILE_SK, _ProfileItem
from twtc_core.clock import iso, utc_now


def set_kyc_status(user_id: str, status: str) -> None:
    """Write the profile's `kyc_status` (creating a minimal active profile if there is none)."""
    try:
        item = _ProfileItem.get(user_key(user_id), PROFILE_SK, consistent_read=True)
    except _ProfileItem.DoesNotExist:
        item = _ProfileItem(
            user_key(user_id), PROFILE_SK, user_id=user_id, call_rate=1_000, created_at=iso(utc_now())
        )
    item.kyc_status = status
    item.save()
