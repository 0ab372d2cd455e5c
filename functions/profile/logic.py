"""Profile rules: reading and changing my profile, exporting everything held about me, and erasure
(personal data removed, the ledger kept under the pseudonymous user id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from functions.profile.models import (
    ExportedActivityOut,
    ExportedDeviceOut,
    ExportedKycOut,
    ExportedProfileOut,
    ExportOut,
    ProfileOut,
    ProfilePatch,
    ReferredByOut,
)
from twtc_core.accounts import erasure
from twtc_core.accounts.erasure import ErasureServices
from twtc_core.accounts.errors import InvalidProfileChange, ProfileNotFound, ReauthenticationRequired
from twtc_core.accounts.models import Profile, is_active
from twtc_core.accounts.provisioning import request_missing_account
from twtc_core.accounts.queues import ProvisioningQueue
from twtc_core.accounts.sessions import SessionGate
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.accounts.views import ReferredUserOut
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import UserPool
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.store import KycStore
from twtc_core.ledger import Entry, Ledger, WalletNotFound
from twtc_core.pagination import Page
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.wallet_views import TransactionOut, WalletOut
from twtc_core.withdrawals.store import WithdrawalStore

# Each list in the export is at most this long (the first page; cursors continue the long ones), so the
# response stays far below Lambda's 6 MB limit however long the account's history is.
EXPORT_PAGE = 1_000
# Erasure cannot be undone: a stolen token alone must not be enough, the password must have been typed
# within this long (the access token's `auth_time`, which refreshing does not move).
RECENT_AUTHENTICATION = timedelta(minutes=5)


@dataclass(frozen=True)
class CallRateBounds:
    minimum: int
    maximum: int


@dataclass(frozen=True)
class ProfileServices:
    profiles: ProfileStore
    codes: CodeStore
    inboxes: InboxStore
    devices: DeviceStore
    referrals: ReferralStore
    ledger: Ledger
    security: SecurityStore
    pool: UserPool
    provisioning: ProvisioningQueue
    call_rates: CallRateBounds
    sessions: SessionGate
    kyc: KycStore
    documents: DocumentStore
    withdrawals: WithdrawalStore


def my_profile(services: ProfileServices, user_id: str) -> ProfileOut:
    return ProfileOut.from_profile(_active_profile(services, user_id))


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
    if changes and not services.profiles.update(user_id, changes):
        raise ProfileNotFound("No profile for this user.")
    services.security.log_activity(user_id, "profile_change", origin, resource=",".join(sorted(changes)))
    return my_profile(services, user_id)


def export(services: ProfileServices, user_id: str, origin: RequestOrigin) -> ExportOut:
    profile = _active_profile(services, user_id)
    services.security.log_activity(user_id, "export", origin)
    referral = services.referrals.get(user_id)  # a referral's id is its referee's id
    transactions = _first_entries(services.ledger, user_id)
    referrals_made, referrals_cursor = services.referrals.page(user_id, EXPORT_PAGE, None)
    activity = list(islice(services.security.activity_of(user_id), EXPORT_PAGE + 1))
    return ExportOut(
        user_id=user_id,
        exported_at=iso(utc_now()),
        profile=ExportedProfileOut.from_profile(profile),
        wallet=_wallet(services.ledger, user_id),
        transactions=[TransactionOut.from_entry(entry) for entry in transactions.items],
        transactions_next_cursor=transactions.next_cursor,
        referrals_made=[ReferredUserOut.from_referral(item) for item in referrals_made],
        referrals_next_cursor=referrals_cursor,
        referred_by=ReferredByOut.from_referral(referral, profile.referred_with_code) if referral else None,
        devices=[ExportedDeviceOut.model_validate(device) for device in services.devices.devices_of(user_id)],
        activity=[ExportedActivityOut.model_validate(item) for item in activity[:EXPORT_PAGE]],
        activity_complete=len(activity) <= EXPORT_PAGE,
        kyc=ExportedKycOut.from_submission(kyc) if (kyc := services.kyc.current_of(user_id)) else None,
    )


def erase(services: ProfileServices, user_id: str, authenticated_at: datetime | None) -> None:
    """Only right after the password was typed. Every session ends first (no token of the account works
    from here on, a retry included: the erasure sweeper finishes what an interruption leaves)."""
    if authenticated_at is None or utc_now() - authenticated_at > RECENT_AUTHENTICATION:
        raise ReauthenticationRequired(
            "Log in again to erase your account.",
            {"max_age_seconds": int(RECENT_AUTHENTICATION.total_seconds())},
        )
    services.sessions.end_sessions(user_id)
    erasure.erase(
        ErasureServices(
            services.profiles,
            services.codes,
            services.inboxes,
            services.devices,
            services.referrals,
            services.security,
            services.pool,
            services.kyc,
            services.documents,
            services.withdrawals,
        ),
        user_id,
    )


def _active_profile(services: ProfileServices, user_id: str) -> Profile:
    """A signed-in user without any profile was confirmed but never provisioned: provision on first use."""
    profile = services.profiles.get(user_id)
    if profile is None:
        request_missing_account(services.provisioning, user_id)
    if not is_active(profile):
        raise ProfileNotFound("No profile for this user.")
    return profile


def _wallet(ledger: Ledger, user_id: str) -> WalletOut | None:
    try:
        return WalletOut.from_wallet(ledger.get_wallet(user_id))
    except WalletNotFound:
        return None


def _first_entries(ledger: Ledger, user_id: str) -> Page[Entry]:
    try:
        return ledger.history(user_id, EXPORT_PAGE, None)
    except WalletNotFound:
        return Page(items=[], next_cursor=None)
