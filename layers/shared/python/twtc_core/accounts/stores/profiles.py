"""Profiles: USER#<user> / PROFILE. `referrals_rewarded` is the lifetime cap counter,
`referral_rewards_earned` what those rewards credited.

GSI gsi1 (sparse, only while an erasure is unfinished): ERASURE_PENDING / <deleted_at>#<user>
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.accounts.models import ACTIVE, Profile
from twtc_core.accounts.stores._table import UsersTable, user_key
from twtc_core.dynamo import Check, Transaction, update_if

PROFILE_SK = "PROFILE"
DELETED = "DELETED"
ERASURE_PENDING_PK = "ERASURE_PENDING"
VERIFIED = "VERIFIED"  # the final KYC status


class _PendingErasuresIndex(GlobalSecondaryIndex["_ProfileItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _ProfileItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=PROFILE_SK)
    user_id = UnicodeAttribute()
    status = UnicodeAttribute(default=ACTIVE)  # ACTIVE | DELETED
    name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    referral_code = UnicodeAttribute(null=True)
    group = NumberAttribute(null=True)
    kyc_status = UnicodeAttribute(default="NOT_STARTED")
    accepts_calls = BooleanAttribute(default=False)
    call_rate = NumberAttribute()
    referred_with_code = UnicodeAttribute(null=True)
    signup_device_id = UnicodeAttribute(null=True)
    signup_ip = UnicodeAttribute(null=True)
    referrals_rewarded = NumberAttribute(default=0)
    referral_rewards_earned = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    deleted_at = UnicodeAttribute(null=True)
    email_identity = UnicodeAttribute(null=True)
    erasure_pending = UnicodeSetAttribute(null=True)  # absent when no step is left
    disabled = BooleanAttribute(null=True)  # set by an admin; absent means enabled
    gsi1pk = UnicodeAttribute(null=True)  # set only while an erasure is unfinished (sparse index)
    gsi1sk = UnicodeAttribute(null=True)
    pending_erasures = _PendingErasuresIndex()


def _key(user_id: str) -> _ProfileItem:
    return _ProfileItem(user_key(user_id), PROFILE_SK)


def _profile(item: _ProfileItem) -> Profile:
    return Profile(
        user_id=item.user_id,
        status=item.status,
        name=item.name,
        email=item.email,
        phone=item.phone,
        referral_code=item.referral_code,
        group=int(item.group) if item.group is not None else None,
        kyc_status=item.kyc_status,
        accepts_calls=bool(item.accepts_calls),
        call_rate=int(item.call_rate),
        referred_with_code=item.referred_with_code,
        signup_device_id=item.signup_device_id,
        signup_ip=item.signup_ip,
        referrals_rewarded=int(item.referrals_rewarded or 0),
        referral_rewards_earned=int(item.referral_rewards_earned or 0),
        created_at=item.created_at,
        deleted_at=item.deleted_at,
        email_identity=item.email_identity,
        erasure_pending=frozenset(item.erasure_pending or ()),
        disabled=bool(item.disabled),
    )


def _kyc_status_change(status: str) -> tuple[list[Action], Condition]:
    return [_ProfileItem.kyc_status.set(status)], (
        _ProfileItem.pk.exists() & (_ProfileItem.status == ACTIVE) & (_ProfileItem.kyc_status != VERIFIED)
    )


class ProfileStore:
    def get(self, user_id: str) -> Profile | None:
        try:
            return _profile(_ProfileItem.get(user_key(user_id), PROFILE_SK, consistent_read=True))
        except _ProfileItem.DoesNotExist:
            return None

    def get_many(self, user_ids: Iterable[str]) -> dict[str, Profile]:
        """The profiles of these users that exist, by user id (one BatchGetItem per 100; the lobby's page)."""
        keys = [(user_key(user_id), PROFILE_SK) for user_id in dict.fromkeys(user_ids)]
        if not keys:
            return {}
        return {item.user_id: _profile(item) for item in _ProfileItem.batch_get(keys)}

    def update(self, user_id: str, changes: dict[str, Any]) -> bool:
        """Set the given fields of an active profile; False when there is none."""
        actions = [getattr(_ProfileItem, name).set(value) for name, value in changes.items()]
        return update_if(_key(user_id), actions, _ProfileItem.pk.exists() & (_ProfileItem.status == ACTIVE))

    # --- writes that go with other aggregates' (one transaction) ---------------------------------
    def create_with(
        self,
        writes: Transaction,
        user_id: str,
        *,
        name: str | None,
        email: str | None,
        phone: str | None,
        call_rate: int,
        referred_with_code: str | None,
        signup_device_id: str | None,
        signup_ip: str | None,
        email_identity: str | None,
        created_at: str,
    ) -> Check | None:
        """Put the new user's profile; the check fails when it exists."""
        profile = _ProfileItem(
            user_key(user_id),
            user_id=user_id,
            name=name,
            email=email,
            phone=phone,
            call_rate=call_rate,
            referred_with_code=referred_with_code,
            signup_device_id=signup_device_id,
            signup_ip=signup_ip,
            email_identity=email_identity,
            created_at=created_at,
        )
        return writes.put(profile, _ProfileItem.pk.does_not_exist())

    def settle_with(self, writes: Transaction, user_id: str, code: str, group: int) -> Check | None:
        """Record the new user's referral code and group; the check fails when the profile has its code
        already (they are always recorded together), is gone, or is being erased (a late redelivery
        must not hand an erased account a code or record its device)."""
        return writes.update(
            _key(user_id),
            [_ProfileItem.referral_code.set(code), _ProfileItem.group.set(group)],
            _ProfileItem.pk.exists()
            & (_ProfileItem.status == ACTIVE)
            & _ProfileItem.referral_code.does_not_exist(),
        )

    def count_reward_with(
        self, writes: Transaction, user_id: str, amount: int, lifetime_cap: int
    ) -> Check | None:
        """Count one rewarded referral of the user and what it earned; the check fails when the profile
        is gone or its lifetime cap is reached."""
        has_room = _ProfileItem.referrals_rewarded.does_not_exist() | (
            _ProfileItem.referrals_rewarded < lifetime_cap
        )
        return writes.update(
            _key(user_id),
            [_ProfileItem.referrals_rewarded.add(1), _ProfileItem.referral_rewards_earned.add(amount)],
            _ProfileItem.pk.exists() & has_room,
        )

    def can_refer_check_with(self, writes: Transaction, user_id: str, lifetime_cap: int) -> Check | None:
        """Write nothing; the check fails unless the profile is active, enabled, with room under its
        lifetime cap."""
        has_room = _ProfileItem.referrals_rewarded.does_not_exist() | (
            _ProfileItem.referrals_rewarded < lifetime_cap
        )
        enabled = _ProfileItem.disabled.does_not_exist()  # enabling removes the flag
        return writes.check(
            _ProfileItem, user_key(user_id), PROFILE_SK, (_ProfileItem.status == ACTIVE) & enabled & has_room
        )

    def move_group_with(
        self, writes: Transaction, user_id: str, from_group: int, to_group: int
    ) -> Check | None:
        """Within `writes`, move the active user from one mining group to another; the check fails when
        the profile is not active in `from_group`."""
        return writes.update(
            _key(user_id),
            [_ProfileItem.group.set(to_group)],
            (_ProfileItem.status == ACTIVE) & (_ProfileItem.group == from_group),
        )

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        """Mark an active account disabled or enabled (an admin's decision)."""
        update_if(
            _key(user_id),
            [_ProfileItem.disabled.set(True) if disabled else _ProfileItem.disabled.remove()],
            _ProfileItem.pk.exists(),
        )

    def set_kyc_status(self, user_id: str, status: str) -> bool:
        """The identity verification's status (KYC): False when the profile is gone or already VERIFIED
        (final: withdrawals rely on it)."""
        actions, condition = _kyc_status_change(status)
        return update_if(_key(user_id), actions, condition)

    def set_kyc_status_with(self, writes: Transaction, user_id: str, status: str) -> Check | None:
        """`set_kyc_status` within another aggregate's transaction (a KYC submission opened or decided)."""
        actions, condition = _kyc_status_change(status)
        return writes.update(_key(user_id), actions, condition)

    # --- erasure ---------------------------------------------------------------------------------
    def erase(self, user_id: str, deleted_at: str, pending_steps: list[str]) -> None:
        """Remove the personal data, keep the pseudonymous record (id, group, counters), and note the
        erasure steps still to run, so that a retry (or the sweeper, through the sparse index) knows
        what is left."""
        _key(user_id).update(
            actions=[
                _ProfileItem.status.set(DELETED),
                _ProfileItem.deleted_at.set(deleted_at),
                _ProfileItem.erasure_pending.set(set(pending_steps)),
                _ProfileItem.gsi1pk.set(ERASURE_PENDING_PK),
                _ProfileItem.gsi1sk.set(f"{deleted_at}#{user_id}"),
                _ProfileItem.accepts_calls.set(False),
                _ProfileItem.name.remove(),
                _ProfileItem.email.remove(),
                _ProfileItem.phone.remove(),
                _ProfileItem.signup_ip.remove(),
                _ProfileItem.signup_device_id.remove(),
            ],
            condition=_ProfileItem.pk.exists(),
        )

    def finish_erasure_step(self, user_id: str, step: str) -> None:
        _key(user_id).update(actions=[_ProfileItem.erasure_pending.delete({step})])

    def close_erasure(self, user_id: str) -> None:
        """Take the account off the pending-erasures index once no step is left."""
        update_if(
            _key(user_id),
            [_ProfileItem.gsi1pk.remove(), _ProfileItem.gsi1sk.remove()],
            _ProfileItem.erasure_pending.does_not_exist(),
        )

    def pending_erasures(self, limit: int) -> list[str]:
        """Users whose erasure is unfinished, oldest first (a query of the sparse index, never a scan)."""
        return [item.user_id for item in _ProfileItem.pending_erasures.query(ERASURE_PENDING_PK, limit=limit)]

    def forget_email_identity(self, user_id: str) -> None:
        _key(user_id).update(actions=[_ProfileItem.email_identity.remove()])
