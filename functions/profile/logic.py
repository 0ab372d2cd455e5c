"""Profile rules: reading and changing my profile, exporting everything held about me, and erasure
(personal data removed, the ledger kept under the pseudonymous user id)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from pynamodb.models import Model

from functions.profile.models import ExportOut, ProfileOut, ProfilePatch
from twtc_core.accounts.errors import InvalidProfileChange, ProfileNotFound
from twtc_core.accounts.store import ProfileItem, UsersStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import UserPool
from twtc_core.ledger import Entry, Ledger, WalletNotFound
from twtc_core.security import RequestOrigin, SecurityStore

EXPORT_PAGE = 100
_KEYS = {"pk", "sk", "gsi1pk", "gsi1sk", "expires_at"}


@dataclass(frozen=True)
class CallRateBounds:
    minimum: int
    maximum: int


@dataclass(frozen=True)
class ProfileServices:
    users: UsersStore
    ledger: Ledger
    security: SecurityStore
    pool: UserPool
    call_rates: CallRateBounds


def my_profile(services: ProfileServices, user_id: str) -> ProfileOut:
    return ProfileOut.from_item(_active_profile(services.users, user_id))


def change_profile(
    services: ProfileServices, user_id: str, patch: ProfilePatch, origin: RequestOrigin
) -> ProfileOut:
    bounds = services.call_rates
    if patch.call_rate is not None and not bounds.minimum <= patch.call_rate <= bounds.maximum:
        raise InvalidProfileChange(
            "The call rate is outside the allowed range.",
            {"minimum": bounds.minimum, "maximum": bounds.maximum},
        )
    changes = patch.changes()
    if changes and services.users.update_profile(user_id, changes) is None:
        raise ProfileNotFound("No profile for this user.")
    services.security.log_activity(user_id, "profile_change", origin, resource=",".join(sorted(changes)))
    return my_profile(services, user_id)


def export(services: ProfileServices, user_id: str, origin: RequestOrigin) -> ExportOut:
    profile = _active_profile(services.users, user_id)
    services.security.log_activity(user_id, "export", origin)
    referral = services.users.get_referral(user_id)  # a referral's id is its referee's id
    return ExportOut(
        user_id=user_id,
        exported_at=iso(utc_now()),
        profile=_plain(profile),
        wallet=_wallet(services.ledger, user_id),
        transactions=[_entry(entry) for entry in _all_entries(services.ledger, user_id)],
        referrals_made=[_plain(item) for item in services.users.referrals_of(user_id)],
        referred_by=_plain(referral) if referral else None,
        devices=[_plain(device) for device in services.users.devices_of(user_id)],
        activity=[_plain(item) for item in services.security.activity_of(user_id)],
    )


def erase(services: ProfileServices, user_id: str) -> None:
    """Delete the Cognito user first (it can no longer sign in), then the personal data we hold. Every
    step may run again: a retry after a partial failure completes the erasure."""
    profile = _active_profile(services.users, user_id)
    services.pool.delete_user(user_id)
    services.users.erase_profile(user_id, iso(utc_now()))
    if profile.referral_code:
        services.users.retire_code(profile.referral_code)
    services.users.erase_referee_details(user_id)
    services.users.forget_devices_of(user_id)
    services.security.erase_activity_of(user_id)
    # The erasure itself stays on record, without anything that identifies the person.
    services.security.log_activity(user_id, "delete", RequestOrigin())


def _active_profile(users: UsersStore, user_id: str) -> ProfileItem:
    profile = users.get_profile(user_id)
    if profile is None or profile.status != "ACTIVE":
        raise ProfileNotFound("No profile for this user.")
    return profile


def _wallet(ledger: Ledger, user_id: str) -> dict[str, Any] | None:
    try:
        wallet = ledger.get_wallet(user_id)
    except WalletNotFound:
        return None
    return {**asdict(wallet), "available": wallet.available}


def _all_entries(ledger: Ledger, user_id: str) -> list[Entry]:
    entries: list[Entry] = []
    cursor: str | None = None
    while True:
        page = ledger.history(user_id, EXPORT_PAGE, cursor)
        entries.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return entries


def _entry(entry: Entry) -> dict[str, Any]:
    return {**asdict(entry), "created_at": iso(entry.created_at)}


def _plain(item: Model) -> dict[str, Any]:
    return {name: value for name, value in item.attribute_values.items() if name not in _KEYS}
