"""Provisioning a confirmed account, exactly once however often its request is delivered.

The PostConfirmation trigger only queues the request (Cognito does not retry a failed trigger, so the
work must not happen there); a request is also queued when an account turns out to have no profile
(`twtc_core.accounts.provisioning.request_missing_account`), which covers a trigger that failed before
queueing.

Two idempotent steps, so a retry after a crash at any point completes what is missing and repeats
nothing: one transaction puts the profile and opens the wallet with the sign-up bonus (each only if new,
all or nothing); then, in one transaction, the referral code, the group, the device and for a referred
user the referral record, after which the reward is requested. The wallet comes before the code: once a
code is claimable, whoever it rewards has somewhere to be credited.
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.provisioning_worker.models import ConfirmedUser
from twtc_core.accounts import codes
from twtc_core.accounts.models import ReferralCode
from twtc_core.accounts.queues import ReferralQueue
from twtc_core.accounts.rules import email_identity, mask_contact, mask_name
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.cognito import UserPool
from twtc_core.dynamo import Reads, Transaction
from twtc_core.ids import derived_id
from twtc_core.ledger import EntryType, Ledger
from twtc_core.observability import logger
from twtc_core.stats import Metric, StatsStore

MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class ProvisioningRules:
    signup_bonus: int
    default_call_rate: int
    group_count: int


@dataclass(frozen=True)
class Provisioner:
    profiles: ProfileStore
    codes: CodeStore
    groups: GroupStore
    devices: DeviceStore
    referrals: ReferralStore
    ledger: Ledger
    pool: UserPool
    referral_queue: ReferralQueue
    rules: ProvisioningRules
    inboxes: InboxStore
    stats: StatsStore


def provision_account(services: Provisioner, user_id: str) -> bool:
    """Open the account of the user pool's user; False when that user no longer exists (erased before
    the request was delivered): there is nothing to open."""
    attributes = services.pool.attributes_of(user_id)
    if attributes is None:
        logger.warning("provisioning request for an unknown user", extra={"user_id": user_id})
        return False
    provision(services, ConfirmedUser.from_attributes(attributes))
    return True


def provision(services: Provisioner, user: ConfirmedUser) -> None:
    now = iso(utc_now())
    _open(services, user, now)
    referred = _settle(services, user, now)
    if referred or (user.referral_code and services.referrals.get(user.user_id) is not None):
        services.referral_queue.request_reward(user.user_id)


def _open(services: Provisioner, user: ConfirmedUser, now: str) -> None:
    """Put the profile, open the wallet with the sign-up bonus and mark the inbox's reservation confirmed,
    in one transaction (each only if new, so a redelivery writes nothing)."""
    writes = Transaction()
    identity = email_identity(user.email)
    services.profiles.create_with(
        writes,
        user.user_id,
        name=user.name,
        email=user.email,
        phone=user.phone,
        call_rate=services.rules.default_call_rate,
        referred_with_code=user.referral_code,
        signup_device_id=user.device_id,
        signup_ip=user.signup_ip,
        email_identity=identity,
        created_at=now,
    )
    if identity is not None and user.email:
        services.inboxes.confirm_with(writes, identity, user.email.strip().lower())
    services.ledger.open_wallet_with_credit(
        writes,
        entry_id=derived_id("signup", user.user_id),
        user_id=user.user_id,
        amount=services.rules.signup_bonus,
        entry_type=EntryType.SIGNUP_BONUS,
        description="Welcome bonus",
    )
    # counted with the wallet: a redelivery that finds the wallet open counts nothing again
    services.stats.count_with(writes, utc_day(), Metric.NEW_USERS)
    services.stats.count_with(
        writes, utc_day(), Metric.coins(EntryType.SIGNUP_BONUS), services.rules.signup_bonus
    )
    if writes.commit():
        # An earlier delivery opened the account if the wallet exists: read, since a cancellation need
        # not name every failed condition. Only provisioning from before this transaction could leave
        # a profile without a wallet: WalletNotFound, and the request ends in the alarmed DLQ.
        services.ledger.get_wallet(user.user_id)


def _settle(services: Provisioner, user: ConfirmedUser, now: str) -> bool:
    """Give the user a fresh referral code and the least populated group (lowest number on a tie), and
    record their device and referral, in one transaction. The group only counts the user if its size
    is still what was read, so concurrent sign-ups spread out instead of piling in; a code someone holds
    is redrawn. Returns whether this call recorded a referral; nothing happens when an earlier delivery
    settled the user already."""
    for _ in range(MAX_ATTEMPTS):
        reads = Reads()
        sizes = services.groups.sizes_with(reads, services.rules.group_count)
        entered = services.codes.get_with(reads, user.referral_code) if user.referral_code else None
        reads.run()
        group = min(sizes().items(), key=lambda size: (size[1], size[0]))
        code = codes.new_code()
        writes = Transaction()
        unsettled = services.profiles.settle_with(writes, user.user_id, code, group[0])
        services.codes.claim_with(writes, user.user_id, code)
        services.groups.join_with(writes, group[0], group[1])
        if user.device_id:
            services.devices.remember_with(
                writes, user.user_id, user.device_id, user.signup_ip, now, known=False
            )
        referrer = _usable_referrer(user, entered() if entered else None)
        if referrer is not None:
            services.referrals.create_with(
                writes,
                user.user_id,
                referrer.user_id,
                referee_name_masked=mask_name(user.name),
                referee_contact_masked=mask_contact(user.email, user.phone),
                referee_device_id=user.device_id,
                referee_ip=user.signup_ip,
                created_at=now,
            )
        failed = writes.commit()
        if not failed:
            return referrer is not None
        if unsettled in failed:
            return False
        # The code was taken or the group's size changed since it was read: read and draw again.
    raise RuntimeError("Could not settle the account; the request will be retried.")


def _usable_referrer(user: ConfirmedUser, entered: ReferralCode | None) -> ReferralCode | None:
    """The code the user signed up with, if it still refers someone else (one referral per referee)."""
    if user.referral_code is None:
        return None
    if entered is None or entered.retired or entered.user_id == user.user_id:
        logger.warning("referral code no longer usable", extra={"code": user.referral_code})
        return None
    return entered
