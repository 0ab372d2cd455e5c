"""Provisioning a confirmed account, exactly once however often its request is delivered.

The PostConfirmation trigger only queues the request (Cognito does not retry a failed trigger, so the
work must not happen there); a request is also queued when an account turns out to have no profile
(`twtc_core.accounts.provisioning.ensure_provisioned`), which covers a trigger that failed before queueing.

Every step is idempotent on its own (conditional writes, deterministic ids), so a retry after a crash at
any point completes what is missing and repeats nothing: profile, wallet, sign-up bonus, referral code,
group, device, and for a referred user the referral record and its reward request. The wallet comes
before the code: once a code is claimable, whoever it rewards has somewhere to be credited.
"""

from __future__ import annotations

from dataclasses import dataclass

from functions.provisioning_worker.models import ConfirmedUser
from twtc_core.accounts import codes
from twtc_core.accounts.queues import ReferralQueue
from twtc_core.accounts.rules import email_identity, mask_contact, mask_name
from twtc_core.accounts.store import CodeClaim, GroupJoin, UsersStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import UserPool
from twtc_core.dynamo import Transaction
from twtc_core.ids import derived_id
from twtc_core.ledger import EntryType, Ledger
from twtc_core.observability import logger

MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class ProvisioningRules:
    signup_bonus: int
    default_call_rate: int
    group_count: int


@dataclass(frozen=True)
class Provisioner:
    users: UsersStore
    ledger: Ledger
    pool: UserPool
    referrals: ReferralQueue
    rules: ProvisioningRules


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
    services.users.create_profile(
        user.user_id,
        name=user.name,
        email=user.email,
        phone=user.phone,
        call_rate=services.rules.default_call_rate,
        referred_with_code=user.referral_code,
        signup_device_id=user.device_id,
        signup_ip=user.signup_ip,
        email_identity=email_identity(user.email),
        created_at=now,
    )
    services.ledger.open_wallet(user.user_id)
    services.ledger.credit(
        entry_id=derived_id("signup", user.user_id),
        user_id=user.user_id,
        amount=services.rules.signup_bonus,
        entry_type=EntryType.SIGNUP_BONUS,
        description="Welcome bonus",
    )
    _give_referral_code(services.users, user.user_id)
    _join_least_populated_group(services.users, user.user_id, services.rules.group_count)
    if user.device_id:
        writes = Transaction()
        services.users.remember_device(writes, user.user_id, user.device_id, user.signup_ip, now, known=False)
        writes.commit()
    if user.referral_code:
        _record_referral(services, user, now)


def _give_referral_code(users: UsersStore, user_id: str) -> None:
    for _ in range(MAX_ATTEMPTS):
        if users.claim_code(user_id, codes.new_code()) is not CodeClaim.CODE_TAKEN:
            return
    raise RuntimeError("Could not draw an unused referral code.")


def _join_least_populated_group(users: UsersStore, user_id: str, group_count: int) -> None:
    """Join the group with the fewest members (lowest number on a tie). The join only counts if that
    group's size is still what was read, so concurrent sign-ups spread out instead of piling in."""
    for _ in range(MAX_ATTEMPTS):
        sizes = users.group_sizes()
        group = min(range(1, group_count + 1), key=lambda number: (sizes.get(number, 0), number))
        if users.join_group(user_id, group, sizes.get(group, 0)) is not GroupJoin.RACED:
            return
    raise RuntimeError("Group sizes kept changing; the request will be retried.")


def _record_referral(services: Provisioner, user: ConfirmedUser, now: str) -> None:
    """One referral per referee (its id is the referee's id); the reward is the worker's job."""
    owner = services.users.get_code(user.referral_code or "")
    if owner is None or owner.retired or owner.user_id == user.user_id:
        logger.warning("referral code no longer usable", extra={"code": user.referral_code})
        return
    services.users.create_referral(
        user.user_id,
        owner.user_id,
        referee_name_masked=mask_name(user.name),
        referee_contact_masked=mask_contact(user.email, user.phone),
        referee_device_id=user.device_id,
        referee_ip=user.signup_ip,
        created_at=now,
    )
    services.referrals.request_reward(user.user_id)
