"""Admin rules for user accounts: admins and moderators may look users up; only an admin may disable or
enable an account. Disabling locks the
user out everywhere at once: Cognito refuses their password and refresh tokens, and the session cut-off
ends every access token they hold (within the session gate's stated delay); the account's referral
code earns nothing while it is disabled."""

from __future__ import annotations

import re
from dataclasses import dataclass

from functions.admin_users.models import (
    AccountAccessOut,
    DeviceOut,
    RecentFraudEventOut,
    UserDetailOut,
    UsersOut,
    UserSummaryOut,
)
from twtc_core.accounts import codes
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.models import Profile, is_active
from twtc_core.accounts.sessions import SessionGate
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.admin import Actor, audit, require_admin, require_reviewer
from twtc_core.cognito import UserPool
from twtc_core.errors import Conflict
from twtc_core.fraud.store import FraudStore
from twtc_core.ledger import Ledger, WalletNotFound
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.wallet_views import TransactionOut, WalletOut

RECENT_EVENTS = 10
RECENT_TRANSACTIONS = 20
USER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PHONE = re.compile(r"^\+[0-9]{6,15}$")  # E.164, as Cognito stores `phone_number`
# What Cognito accepts as a username (≤ 128 characters, no spaces): anything else would be its 400, not ours
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
COGNITO_USERNAME_LENGTH = 128


class CannotDisableSelf(Conflict):
    code = "cannot_disable_self"


@dataclass(frozen=True)
class AdminUsersServices:
    profiles: ProfileStore
    pool: UserPool
    sessions: SessionGate
    security: SecurityStore
    codes: CodeStore
    devices: DeviceStore
    fraud: FraudStore
    ledger: Ledger


def search(services: AdminUsersServices, actor: Actor, query: str) -> UsersOut:
    """Exact lookups, never a scan: an e-mail or a phone number is a Cognito sign-in alias (AdminGetUser
    resolves it to the user id), a user id is the profile's key, a referral code is its `CODE#` item.
    Each names at most one account, so a result is one page; nothing found is an empty page."""
    require_reviewer(actor)
    user_id = _user_id_for(services, query.strip())
    profile = services.profiles.get(user_id) if user_id else None
    if not is_active(profile):
        return UsersOut(items=[])
    return UsersOut(items=[_summary(profile, int(services.fraud.trust_of(profile.user_id).level))])


def user_detail(services: AdminUsersServices, actor: Actor, user_id: str) -> UserDetailOut:
    """Everything a reviewer needs on one screen: the recent fraud events are those the trust state
    scores (it keeps the newest), so they cost no query of their own; the recent transactions are one
    page of the wallet's history (an adjustment shows there at once)."""
    require_reviewer(actor)
    profile = services.profiles.get(user_id)
    if not is_active(profile):
        raise ProfileNotFound("No such user.")
    trust = services.fraud.trust_of(user_id)
    recent = sorted(trust.events, key=lambda event: event.at, reverse=True)[:RECENT_EVENTS]
    wallet = _wallet(services.ledger, user_id)
    history = services.ledger.history(user_id, RECENT_TRANSACTIONS, None).items if wallet else []
    return UserDetailOut(
        user=_summary(profile, int(trust.level)),
        created_at=profile.created_at,
        kyc_status=profile.kyc_status,
        wallet=wallet,
        recent_transactions=[TransactionOut.from_entry(entry) for entry in history],
        score=trust.score,
        recent_fraud_events=[
            RecentFraudEventOut(
                event_id=event.event_id,
                type=event.type,
                severity=event.severity.value,
                status=event.status.value,
                created_at=event.at,
            )
            for event in recent
        ],
        devices=[
            DeviceOut(
                device_id=device.device_id,
                first_seen_at=device.first_seen_at,
                last_seen_at=device.last_seen_at,
                last_ip=device.last_ip,
            )
            for device in services.devices.devices_of(user_id)
        ],
    )


def _user_id_for(services: AdminUsersServices, query: str) -> str | None:
    if USER_ID.match(query.lower()):
        return query.lower()
    if "@" in query:
        return _alias_owner(services.pool, query.lower()) if EMAIL.match(query) else None
    if PHONE.match(query):
        return _alias_owner(services.pool, query)
    code = codes.normalize(query)
    owner = services.codes.get(code) if code else None
    return owner.user_id if owner else None


def _alias_owner(pool: UserPool, alias: str) -> str | None:
    """The user signing in with an e-mail or phone alias (Cognito's AdminGetUser accepts either)."""
    if len(alias) > COGNITO_USERNAME_LENGTH:
        return None
    attributes = pool.attributes_of(alias)
    return attributes.get("sub") if attributes else None


def _summary(profile: Profile, alert_level: int) -> UserSummaryOut:
    return UserSummaryOut(
        user_id=profile.user_id,
        name=profile.name,
        email=profile.email,
        phone=profile.phone,
        referral_code=profile.referral_code,
        group=profile.group,
        disabled=profile.disabled,
        alert_level=alert_level,
    )


def _wallet(ledger: Ledger, user_id: str) -> WalletOut | None:
    try:
        return WalletOut.from_wallet(ledger.get_wallet(user_id))
    except WalletNotFound:
        return None


def disable(
    services: AdminUsersServices, actor: Actor, user_id: str, origin: RequestOrigin
) -> AccountAccessOut:
    """Never one's own account: the last admin could lock everybody out of the console."""
    require_admin(actor)
    if user_id == actor.user_id:
        raise CannotDisableSelf("Administrators cannot disable their own account.")
    _require_account(services.profiles, user_id)
    services.profiles.set_disabled(user_id, disabled=True)
    services.pool.disable_user(user_id)
    services.pool.sign_out_everywhere(user_id)
    services.sessions.end_sessions(user_id)
    audit(services.security, actor, "admin_disable_user", user_id, origin)
    return AccountAccessOut(user_id=user_id, enabled=False)


def enable(
    services: AdminUsersServices, actor: Actor, user_id: str, origin: RequestOrigin
) -> AccountAccessOut:
    """The user logs in again; the tokens they held when disabled stay dead."""
    require_admin(actor)
    _require_account(services.profiles, user_id)
    services.pool.enable_user(user_id)
    services.profiles.set_disabled(user_id, disabled=False)
    audit(services.security, actor, "admin_enable_user", user_id, origin)
    return AccountAccessOut(user_id=user_id, enabled=True)


def _require_account(profiles: ProfileStore, user_id: str) -> None:
    if not is_active(profiles.get(user_id)):
        raise ProfileNotFound("No such user.")
