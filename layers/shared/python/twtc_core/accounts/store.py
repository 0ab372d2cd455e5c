"""Data access for the users table: the only code that touches it. One method per access pattern.

Single table (see docs/access-patterns.md):
  USER#<user>       / PROFILE              the profile; `referrals_rewarded` is the lifetime cap counter,
                                           `referral_rewards_earned` what those rewards credited
  USER#<user>       / DEVICE#<device>      a device the user signed up or logged in from
                                           GSI gsi1: DEVICE#<device> / USER#<user>  (accounts on a device)
  USER#<referrer>   / REFERRALS#DAY#<date> rewarded referrals that day (daily cap), expires after 2 days
  EMAIL#<digest>    / EMAIL                the account holding an inbox (digest of its canonical address):
                                           one account per inbox, however its address is spelled
  CODE#<code>       / CODE                 referral code -> owner; its key makes codes unique
  GROUPS            / GROUP#<nn>           members of mining group nn (10 items, read in one query)
                                           GSI gsi1 (sparse, only while an erasure is unfinished):
                                           ERASURE_PENDING / <deleted_at>#<user>
  REFERRAL#<id>     / REFERRAL             one referral (id = the referee's user id: one per referee)
                                           GSI gsi1: REFERRER#<referrer> / <created_at>#<id>
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any, TypeGuard

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UnicodeSetAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from twtc_core.dynamo import CONDITION_FAILED, Check, Transaction, put_if, update_if
from twtc_core.pagination import encode_cursor, resume_key
from twtc_core.settings import TABLES

PROFILE_SK = "PROFILE"
ACTIVE = "ACTIVE"  # a profile's status until its erasure starts (then DELETED)
ERASURE_PENDING_PK = "ERASURE_PENDING"
TRANSACTION_ATTEMPTS = 5
GROUPS_PK = "GROUPS"


class _UsersMeta:
    table_name = TABLES.users_table_name
    region = TABLES.aws_region


class PendingErasuresIndex(GlobalSecondaryIndex["ProfileItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class ProfileItem(Model):
    class Meta(_UsersMeta):
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
    email_identity = UnicodeAttribute(null=True)  # the EMAIL# digest, released by erasure
    erasure_pending = UnicodeSetAttribute(null=True)  # erasure steps still to run (absent when none)
    gsi1pk = UnicodeAttribute(null=True)  # set only while an erasure is unfinished (sparse index)
    gsi1sk = UnicodeAttribute(null=True)
    pending_erasures = PendingErasuresIndex()


def is_active(profile: ProfileItem | None) -> TypeGuard[ProfileItem]:
    """The one "account is usable" rule: a profile exists and its erasure has not started."""
    return profile is not None and profile.status == ACTIVE


class EmailIdentityItem(Model):
    class Meta(_UsersMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="EMAIL")
    owner = UnicodeAttribute()  # the address as the holder signed up with it, lower-cased


class CodeItem(Model):
    class Meta(_UsersMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="CODE")
    code = UnicodeAttribute()
    user_id = UnicodeAttribute()
    retired = BooleanAttribute(default=False)


class GroupItem(Model):
    class Meta(_UsersMeta):
        pass

    pk = UnicodeAttribute(hash_key=True, default=GROUPS_PK)
    sk = UnicodeAttribute(range_key=True)
    members = NumberAttribute(default=0)


class AccountsOnDeviceIndex(GlobalSecondaryIndex["DeviceItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class DeviceItem(Model):
    class Meta(_UsersMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    device_id = UnicodeAttribute()
    first_seen_at = UnicodeAttribute()
    last_seen_at = UnicodeAttribute()
    last_ip = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    accounts_on_device = AccountsOnDeviceIndex()


class ReferralDayItem(Model):
    class Meta(_UsersMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    rewarded = NumberAttribute(default=0)
    expires_at = NumberAttribute()


class ReferralsOfReferrerIndex(GlobalSecondaryIndex["ReferralItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class ReferralItem(Model):
    class Meta(_UsersMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="REFERRAL")
    referral_id = UnicodeAttribute()
    referrer_id = UnicodeAttribute()
    referee_id = UnicodeAttribute()
    status = UnicodeAttribute(default="PENDING")  # PENDING | REWARDED | CAPPED | WITHHELD
    reason = UnicodeAttribute(null=True)
    referee_name_masked = UnicodeAttribute()
    referee_contact_masked = UnicodeAttribute()
    referee_device_id = UnicodeAttribute(null=True)
    referee_ip = UnicodeAttribute(null=True)
    referrer_reward = NumberAttribute(null=True)  # what each side is credited, fixed when rewarded
    referee_reward = NumberAttribute(null=True)
    created_at = UnicodeAttribute()
    decided_at = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_referrer = ReferralsOfReferrerIndex()


def user_key(user_id: str) -> str:
    return f"USER#{user_id}"


def referral_key(referral_id: str) -> str:
    return f"REFERRAL#{referral_id}"


def referrer_key(referrer_id: str) -> str:
    return f"REFERRER#{referrer_id}"


def group_key(group: int) -> str:
    return f"GROUP#{group:02d}"


class CodeClaim(Enum):
    CLAIMED = "claimed"
    CODE_TAKEN = "code_taken"  # another user holds this code: draw another
    ALREADY_HAS_CODE = "already_has_code"  # an earlier (or concurrent) run gave the user one


class EmailClaim(Enum):
    CLAIMED = "claimed"
    ALREADY_MINE = "already_mine"  # the same address claimed it before (a repeated sign-up)
    TAKEN = "taken"  # another spelling of the same inbox holds it


class GroupJoin(Enum):
    JOINED = "joined"
    RACED = "raced"  # the group's size changed since it was read: read again
    ALREADY_IN_GROUP = "already_in_group"


class RewardClaim(Enum):
    CLAIMED = "claimed"
    ALREADY_DECIDED = "already_decided"
    CAPPED = "capped"


class TransactionContended(Exception):
    """Concurrent transactions kept cancelling ours; the caller (or the queue) tries again later."""


class UsersStore:
    def __init__(self) -> None:
        self._connection = Connection(region=TABLES.aws_region)

    # --- profiles ------------------------------------------------------------------------------
    def get_profile(self, user_id: str) -> ProfileItem | None:
        try:
            return ProfileItem.get(user_key(user_id), PROFILE_SK, consistent_read=True)
        except ProfileItem.DoesNotExist:
            return None

    def create_profile(
        self,
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
    ) -> bool:
        """Put the profile unless it exists (a retried request); False when it did."""
        profile = ProfileItem(
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
        return put_if(profile, ProfileItem.pk.does_not_exist())

    def update_profile(self, user_id: str, changes: dict[str, Any]) -> ProfileItem | None:
        """Set the given profile fields of an active profile; None when there is none."""
        profile = ProfileItem(user_key(user_id), PROFILE_SK)
        actions = [getattr(ProfileItem, name).set(value) for name, value in changes.items()]
        active = ProfileItem.pk.exists() & (ProfileItem.status == ACTIVE)
        return profile if update_if(profile, actions, active) else None

    def erase_profile(self, user_id: str, deleted_at: str, pending_steps: list[str]) -> None:
        """Remove the personal data, keep the pseudonymous record (id, group, counters), and note the
        erasure steps still to run, so that a retry (or the sweeper, through the sparse index) knows
        what is left."""
        ProfileItem(user_key(user_id), PROFILE_SK).update(
            actions=[
                ProfileItem.status.set("DELETED"),
                ProfileItem.deleted_at.set(deleted_at),
                ProfileItem.erasure_pending.set(set(pending_steps)),
                ProfileItem.gsi1pk.set(ERASURE_PENDING_PK),
                ProfileItem.gsi1sk.set(f"{deleted_at}#{user_id}"),
                ProfileItem.accepts_calls.set(False),
                ProfileItem.name.remove(),
                ProfileItem.email.remove(),
                ProfileItem.phone.remove(),
                ProfileItem.signup_ip.remove(),
                ProfileItem.signup_device_id.remove(),
            ],
            condition=ProfileItem.pk.exists(),
        )

    def finish_erasure_step(self, user_id: str, step: str) -> None:
        ProfileItem(user_key(user_id), PROFILE_SK).update(
            actions=[ProfileItem.erasure_pending.delete({step})]
        )

    def close_erasure(self, user_id: str) -> None:
        """Take the account off the pending-erasures index once no step is left."""
        update_if(
            ProfileItem(user_key(user_id), PROFILE_SK),
            [ProfileItem.gsi1pk.remove(), ProfileItem.gsi1sk.remove()],
            ProfileItem.erasure_pending.does_not_exist(),
        )

    def pending_erasures(self, limit: int) -> list[str]:
        """Users whose erasure is unfinished, oldest first (a query of the sparse index, never a scan)."""
        return [item.user_id for item in ProfileItem.pending_erasures.query(ERASURE_PENDING_PK, limit=limit)]

    # --- e-mail identities ---------------------------------------------------------------------
    def claim_email_identity(self, identity: str, owner: str) -> EmailClaim:
        item = EmailIdentityItem(f"EMAIL#{identity}", owner=owner)
        if put_if(item, EmailIdentityItem.pk.does_not_exist()):
            return EmailClaim.CLAIMED
        try:
            holder = EmailIdentityItem.get(f"EMAIL#{identity}", "EMAIL", consistent_read=True)
        except EmailIdentityItem.DoesNotExist:  # released meanwhile: the caller may try again
            return EmailClaim.TAKEN
        return EmailClaim.ALREADY_MINE if holder.owner == owner else EmailClaim.TAKEN

    def release_email_identity(self, identity: str, owner: str | None = None) -> None:
        """Free the inbox for a new account (only if `owner` still holds it, when given)."""
        condition = None if owner is None else EmailIdentityItem.owner == owner
        try:
            EmailIdentityItem(f"EMAIL#{identity}", "EMAIL").delete(condition=condition)
        except DeleteError as error:
            if error.cause_response_code != CONDITION_FAILED:
                raise

    def forget_email_identity(self, user_id: str) -> None:
        ProfileItem(user_key(user_id), PROFILE_SK).update(actions=[ProfileItem.email_identity.remove()])

    # --- referral codes ------------------------------------------------------------------------
    def get_code(self, code: str) -> CodeItem | None:
        try:
            return CodeItem.get(f"CODE#{code}", "CODE", consistent_read=True)
        except CodeItem.DoesNotExist:
            return None

    def claim_code(self, user_id: str, code: str) -> CodeClaim:
        """Reserve `code` and give it to the user, both or neither."""
        reasons = self._transact(
            puts=[(CodeItem(f"CODE#{code}", code=code, user_id=user_id), CodeItem.pk.does_not_exist())],
            updates=[
                (
                    ProfileItem(user_key(user_id), PROFILE_SK),
                    [ProfileItem.referral_code.set(code)],
                    ProfileItem.referral_code.does_not_exist(),
                )
            ],
        )
        if reasons is None:
            return CodeClaim.CLAIMED
        return CodeClaim.ALREADY_HAS_CODE if reasons[1] else CodeClaim.CODE_TAKEN

    def retire_code(self, code: str) -> None:
        CodeItem(f"CODE#{code}", "CODE").update(actions=[CodeItem.retired.set(True)])

    # --- groups --------------------------------------------------------------------------------
    def group_sizes(self) -> dict[int, int]:
        return {
            int(item.sk.removeprefix("GROUP#")): int(item.members)
            for item in GroupItem.query(GROUPS_PK, consistent_read=True)
        }

    def join_group(self, user_id: str, group: int, members_seen: int) -> GroupJoin:
        """Count the user into `group` if its size is still `members_seen`, and record it on the
        profile unless the profile already has a group: both or neither."""
        unchanged = GroupItem.members == members_seen
        if members_seen == 0:
            unchanged = GroupItem.members.does_not_exist() | unchanged
        reasons = self._transact(
            puts=[],
            updates=[
                (GroupItem(GROUPS_PK, group_key(group)), [GroupItem.members.add(1)], unchanged),
                (
                    ProfileItem(user_key(user_id), PROFILE_SK),
                    [ProfileItem.group.set(group)],
                    ProfileItem.group.does_not_exist(),
                ),
            ],
        )
        if reasons is None:
            return GroupJoin.JOINED
        return GroupJoin.ALREADY_IN_GROUP if reasons[1] else GroupJoin.RACED

    # --- devices -------------------------------------------------------------------------------
    def get_device(self, user_id: str, device_id: str) -> DeviceItem | None:
        try:
            return DeviceItem.get(user_key(user_id), f"DEVICE#{device_id}", consistent_read=True)
        except DeviceItem.DoesNotExist:
            return None

    def remember_device(
        self, writes: Transaction, user_id: str, device: str, ip: str | None, seen_at: str, *, known: bool
    ) -> Check | None:
        """Within `writes`, create or refresh the device record (first_seen_at is kept); with `known`,
        only refresh one that exists, and the returned check fails when it does not."""
        return writes.update(
            DeviceItem(user_key(user_id), f"DEVICE#{device}"),
            [
                DeviceItem.user_id.set(user_id),
                DeviceItem.device_id.set(device),
                DeviceItem.first_seen_at.set(DeviceItem.first_seen_at | seen_at),
                DeviceItem.last_seen_at.set(seen_at),
                DeviceItem.last_ip.set(ip) if ip else DeviceItem.last_ip.remove(),
                DeviceItem.gsi1pk.set(f"DEVICE#{device}"),
                DeviceItem.gsi1sk.set(user_key(user_id)),
            ],
            DeviceItem.pk.exists() if known else None,
        )

    def devices_of(self, user_id: str) -> list[DeviceItem]:
        return list(DeviceItem.query(user_key(user_id), DeviceItem.sk.startswith("DEVICE#")))

    def accounts_on_device(self, device_id: str) -> list[str]:
        return [item.user_id for item in DeviceItem.accounts_on_device.query(f"DEVICE#{device_id}")]

    def forget_devices_of(self, user_id: str) -> None:
        with DeviceItem.batch_write() as batch:
            for item in self.devices_of(user_id):
                batch.delete(item)

    # --- referrals -----------------------------------------------------------------------------
    def create_referral(
        self,
        referee_id: str,
        referrer_id: str,
        *,
        referee_name_masked: str,
        referee_contact_masked: str,
        referee_device_id: str | None,
        referee_ip: str | None,
        created_at: str,
    ) -> bool:
        """Record the referee's referral unless it exists (its id is the referee's: one per referee)."""
        referral = ReferralItem(
            referral_key(referee_id),
            referral_id=referee_id,
            referrer_id=referrer_id,
            referee_id=referee_id,
            referee_name_masked=referee_name_masked,
            referee_contact_masked=referee_contact_masked,
            referee_device_id=referee_device_id,
            referee_ip=referee_ip,
            created_at=created_at,
            gsi1pk=referrer_key(referrer_id),
            gsi1sk=f"{created_at}#{referee_id}",
        )
        return put_if(referral, ReferralItem.pk.does_not_exist())

    def get_referral(self, referral_id: str) -> ReferralItem | None:
        try:
            return ReferralItem.get(referral_key(referral_id), "REFERRAL", consistent_read=True)
        except ReferralItem.DoesNotExist:
            return None

    def referrals_of(self, referrer_id: str) -> Iterator[ReferralItem]:
        """Newest first."""
        return ReferralItem.by_referrer.query(referrer_key(referrer_id), scan_index_forward=False)

    def referrals_page(
        self, referrer_id: str, limit: int, cursor: str | None
    ) -> tuple[list[ReferralItem], str | None]:
        """One page of the referrer's referrals, newest first, and the opaque cursor of the next page;
        a cursor of another list is InvalidCursor."""
        start_key = resume_key(
            cursor,
            key_names=("pk", "sk", "gsi1pk", "gsi1sk"),
            partition=("gsi1pk", referrer_key(referrer_id)),
        )
        results = ReferralItem.by_referrer.query(
            referrer_key(referrer_id), scan_index_forward=False, limit=limit, last_evaluated_key=start_key
        )
        return list(results), encode_cursor(results.last_evaluated_key)

    def rewarded_on(self, referrer_id: str, day: str) -> int:
        try:
            item = ReferralDayItem.get(user_key(referrer_id), f"REFERRALS#DAY#{day}", consistent_read=True)
        except ReferralDayItem.DoesNotExist:
            return 0
        return int(item.rewarded)

    def claim_reward(
        self,
        referral: ReferralItem,
        *,
        day: str,
        day_expires_at: int,
        day_cap: int,
        lifetime_cap: int,
        decided_at: str,
        referrer_reward: int,
        referee_reward: int,
    ) -> RewardClaim:
        """Mark the referral REWARDED with the amounts it credits, count it against the referrer's daily
        and lifetime caps and add the referrer's amount to their referral earnings, atomically: only a
        PENDING referral, only while both caps have room."""
        day_has_room = ReferralDayItem.rewarded.does_not_exist() | (ReferralDayItem.rewarded < day_cap)
        lifetime_has_room = ProfileItem.referrals_rewarded.does_not_exist() | (
            ProfileItem.referrals_rewarded < lifetime_cap
        )
        reasons = self._transact(
            puts=[],
            updates=[
                (
                    ReferralItem(referral.pk, referral.sk),
                    [
                        ReferralItem.status.set("REWARDED"),
                        ReferralItem.decided_at.set(decided_at),
                        ReferralItem.referrer_reward.set(referrer_reward),
                        ReferralItem.referee_reward.set(referee_reward),
                    ],
                    ReferralItem.status == "PENDING",
                ),
                (
                    ReferralDayItem(user_key(referral.referrer_id), f"REFERRALS#DAY#{day}"),
                    [ReferralDayItem.rewarded.add(1), ReferralDayItem.expires_at.set(day_expires_at)],
                    day_has_room,
                ),
                (
                    ProfileItem(user_key(referral.referrer_id), PROFILE_SK),
                    [
                        ProfileItem.referrals_rewarded.add(1),
                        ProfileItem.referral_rewards_earned.add(referrer_reward),
                    ],
                    ProfileItem.pk.exists() & lifetime_has_room,
                ),
            ],
        )
        if reasons is None:
            return RewardClaim.CLAIMED
        return RewardClaim.ALREADY_DECIDED if reasons[0] else RewardClaim.CAPPED

    def decide_referral(self, referral_id: str, status: str, reason: str, decided_at: str) -> bool:
        """Close a PENDING referral without a reward; False when it was decided already."""
        return update_if(
            ReferralItem(referral_key(referral_id), "REFERRAL"),
            [
                ReferralItem.status.set(status),
                ReferralItem.reason.set(reason),
                ReferralItem.decided_at.set(decided_at),
            ],
            ReferralItem.status == "PENDING",
        )

    def erase_referee_details(self, referral_id: str) -> None:
        """The referrer's list keeps the referral, no longer who it was."""
        update_if(
            ReferralItem(referral_key(referral_id), "REFERRAL"),
            [
                ReferralItem.referee_name_masked.set("(deleted)"),
                ReferralItem.referee_contact_masked.set("(deleted)"),
                ReferralItem.referee_ip.remove(),
                ReferralItem.referee_device_id.remove(),
            ],
            ReferralItem.pk.exists(),
        )

    # --- transactions --------------------------------------------------------------------------
    def _transact(
        self, puts: list[tuple[Model, Condition]], updates: list[tuple[Model, list[Action], Condition]]
    ) -> list[bool] | None:
        """Run the writes as one transaction; None when it committed, else which condition failed
        (in the order puts, then updates)."""
        for _ in range(TRANSACTION_ATTEMPTS):
            try:
                with TransactWrite(connection=self._connection) as transaction:
                    for item, condition in puts:
                        transaction.save(item, condition=condition)
                    for item, actions, condition in updates:
                        transaction.update(item, actions=actions, condition=condition)
            except TransactWriteError as error:
                if error.cause_response_code != "TransactionCanceledException":
                    raise
                failed = [
                    reason is not None and reason.code == "ConditionalCheckFailed"
                    for reason in error.cancellation_reasons
                ]
                if any(failed):
                    return failed
                # Cancelled only by a concurrent transaction on the same items: the answer is unknown.
                continue
            return None
        raise TransactionContended("The transaction kept conflicting with concurrent writers.")
