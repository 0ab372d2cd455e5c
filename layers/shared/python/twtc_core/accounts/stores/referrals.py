"""Referrals: REFERRAL#<id> / REFERRAL, one referral (id = the referee's user id: one per referee),
GSI gsi1: REFERRER#<referrer> / <created_at>#<id>; and USER#<referrer> / REFERRALS#DAY#<date>, the
referrals rewarded that day (the daily cap), which expires after two days."""

from __future__ import annotations

from collections.abc import Iterator

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.accounts.models import Referral
from twtc_core.accounts.stores._table import UsersTable, user_key
from twtc_core.dynamo import Check, Transaction, update_if
from twtc_core.pagination import encode_cursor, resume_key

REFERRAL_SK = "REFERRAL"
PENDING = "PENDING"


class _ReferralDayItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    rewarded = NumberAttribute(default=0)
    expires_at = NumberAttribute()


class _ReferralsOfReferrerIndex(GlobalSecondaryIndex["_ReferralItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _ReferralItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=REFERRAL_SK)
    referral_id = UnicodeAttribute()
    referrer_id = UnicodeAttribute()
    referee_id = UnicodeAttribute()
    status = UnicodeAttribute(default=PENDING)  # PENDING | REWARDED | CAPPED | WITHHELD
    reason = UnicodeAttribute(null=True)
    referee_name_masked = UnicodeAttribute()
    referee_contact_masked = UnicodeAttribute()
    referee_device_id = UnicodeAttribute(null=True)
    referee_ip = UnicodeAttribute(null=True)
    referrer_reward = NumberAttribute(null=True)
    referee_reward = NumberAttribute(null=True)
    created_at = UnicodeAttribute()
    decided_at = UnicodeAttribute(null=True)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    by_referrer = _ReferralsOfReferrerIndex()


def _referral_key(referral_id: str) -> str:
    return f"REFERRAL#{referral_id}"


def _referrer_key(referrer_id: str) -> str:
    return f"REFERRER#{referrer_id}"


def _day_key(day: str) -> str:
    return f"REFERRALS#DAY#{day}"


def _day_has_room(day_cap: int) -> Condition:
    return _ReferralDayItem.rewarded.does_not_exist() | (_ReferralDayItem.rewarded < day_cap)


def _optional_int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _referral(item: _ReferralItem) -> Referral:
    return Referral(
        referral_id=item.referral_id,
        referrer_id=item.referrer_id,
        referee_id=item.referee_id,
        status=item.status,
        reason=item.reason,
        referee_name_masked=item.referee_name_masked,
        referee_contact_masked=item.referee_contact_masked,
        referee_device_id=item.referee_device_id,
        referee_ip=item.referee_ip,
        referrer_reward=_optional_int(item.referrer_reward),
        referee_reward=_optional_int(item.referee_reward),
        created_at=item.created_at,
        decided_at=item.decided_at,
    )


class ReferralStore:
    def create_with(
        self,
        writes: Transaction,
        referee_id: str,
        referrer_id: str,
        *,
        referee_name_masked: str,
        referee_contact_masked: str,
        referee_device_id: str | None,
        referee_ip: str | None,
        created_at: str,
    ) -> None:
        """Record the referee's referral (its id is the referee's: one per referee). Written only with
        the referee's account, whose own condition makes this happen once."""
        referral = _ReferralItem(
            _referral_key(referee_id),
            referral_id=referee_id,
            referrer_id=referrer_id,
            referee_id=referee_id,
            referee_name_masked=referee_name_masked,
            referee_contact_masked=referee_contact_masked,
            referee_device_id=referee_device_id,
            referee_ip=referee_ip,
            created_at=created_at,
            gsi1pk=_referrer_key(referrer_id),
            gsi1sk=f"{created_at}#{referee_id}",
        )
        writes.put(referral)

    def get(self, referral_id: str) -> Referral | None:
        try:
            return _referral(_ReferralItem.get(_referral_key(referral_id), REFERRAL_SK, consistent_read=True))
        except _ReferralItem.DoesNotExist:
            return None

    def referrals_of(self, referrer_id: str) -> Iterator[Referral]:
        """Newest first."""
        items = _ReferralItem.by_referrer.query(_referrer_key(referrer_id), scan_index_forward=False)
        return (_referral(item) for item in items)

    def page(self, referrer_id: str, limit: int, cursor: str | None) -> tuple[list[Referral], str | None]:
        """One page of the referrer's referrals, newest first, and the opaque cursor of the next page;
        a cursor of another list is InvalidCursor."""
        start_key = resume_key(
            cursor,
            key_names=("pk", "sk", "gsi1pk", "gsi1sk"),
            partition=("gsi1pk", _referrer_key(referrer_id)),
        )
        results = _ReferralItem.by_referrer.query(
            _referrer_key(referrer_id), scan_index_forward=False, limit=limit, last_evaluated_key=start_key
        )
        return [_referral(item) for item in results], encode_cursor(results.last_evaluated_key)

    def rewarded_on(self, referrer_id: str, day: str) -> int:
        try:
            item = _ReferralDayItem.get(user_key(referrer_id), _day_key(day), consistent_read=True)
        except _ReferralDayItem.DoesNotExist:
            return 0
        return int(item.rewarded)

    # --- writes that go with other aggregates' (one transaction) ---------------------------------
    def reward_with(
        self,
        writes: Transaction,
        referral_id: str,
        decided_at: str,
        referrer_reward: int,
        referee_reward: int,
    ) -> Check | None:
        """Mark the referral REWARDED with the amounts it credits; the check fails unless it is PENDING."""
        return writes.update(
            _ReferralItem(_referral_key(referral_id), REFERRAL_SK),
            [
                _ReferralItem.status.set("REWARDED"),
                _ReferralItem.decided_at.set(decided_at),
                _ReferralItem.referrer_reward.set(referrer_reward),
                _ReferralItem.referee_reward.set(referee_reward),
            ],
            _ReferralItem.status == PENDING,
        )

    def day_room_check_with(
        self, writes: Transaction, referrer_id: str, day: str, day_cap: int
    ) -> Check | None:
        """Write nothing; the check fails when the referrer's rewards on `day` reached the cap."""
        return writes.check(_ReferralDayItem, user_key(referrer_id), _day_key(day), _day_has_room(day_cap))

    def count_day_with(
        self, writes: Transaction, referrer_id: str, day: str, expires_at: int, day_cap: int
    ) -> Check | None:
        """Count one more rewarded referral of the referrer on `day`; the check fails at the cap."""
        return writes.update(
            _ReferralDayItem(user_key(referrer_id), _day_key(day)),
            [_ReferralDayItem.rewarded.add(1), _ReferralDayItem.expires_at.set(expires_at)],
            _day_has_room(day_cap),
        )

    # --- decisions and erasure -------------------------------------------------------------------
    def decide(self, referral_id: str, status: str, reason: str, decided_at: str) -> bool:
        """Close a PENDING referral without a reward; False when it was decided already."""
        return update_if(
            _ReferralItem(_referral_key(referral_id), REFERRAL_SK),
            [
                _ReferralItem.status.set(status),
                _ReferralItem.reason.set(reason),
                _ReferralItem.decided_at.set(decided_at),
            ],
            _ReferralItem.status == PENDING,
        )

    def erase_referee_details(self, referral_id: str) -> None:
        """The referrer's list keeps the referral, no longer who it was."""
        update_if(
            _ReferralItem(_referral_key(referral_id), REFERRAL_SK),
            [
                _ReferralItem.referee_name_masked.set("(deleted)"),
                _ReferralItem.referee_contact_masked.set("(deleted)"),
                _ReferralItem.referee_ip.remove(),
                _ReferralItem.referee_device_id.remove(),
            ],
            _ReferralItem.pk.exists(),
        )
