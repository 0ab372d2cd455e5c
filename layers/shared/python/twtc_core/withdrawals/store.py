"""Data access for the withdrawals table: the only code that touches it. One method per access pattern.

Single table (see docs/access-patterns.md):
  WITHDRAWAL#<id> / WITHDRAWAL      one withdrawal request and where review took it; while it is open, its
                                    full destination sealed with the payout KMS key (`destination_sealed`)
                                    GSI gsi1: USER#<user> / <created_at>#<id>      (mine, newest first)
                                    GSI gsi2: STATUS#<status> / <created_at>#<id>  (the review queue)
  USER#<user>     / DAY#<yyyy-mm-dd>  the amount the user asked to withdraw that UTC day (`total`), moved
                                    only in the transaction that places the withdrawal's hold; TTL 2 days
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import BinaryAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.clock import iso
from twtc_core.dynamo import Check, Transaction, update_if
from twtc_core.pagination import Page, encode_cursor, resume_key
from twtc_core.settings import TABLES
from twtc_core.withdrawals.models import Withdrawal, WithdrawalStatus

WITHDRAWAL_SK = "WITHDRAWAL"
DAILY_TOTAL_DAYS = 2  # kept past its own day, so a request at 23:59:59 still finds it


class _WithdrawalsMeta:
    table_name = TABLES.withdrawals_table_name
    region = TABLES.aws_region


class _ByUserIndex(GlobalSecondaryIndex["_WithdrawalItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class _ByStatusIndex(GlobalSecondaryIndex["_WithdrawalItem"]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class _WithdrawalItem(Model):
    class Meta(_WithdrawalsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=WITHDRAWAL_SK)
    withdrawal_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    amount = NumberAttribute()
    status = UnicodeAttribute()
    destination_masked = UnicodeAttribute()
    request_fingerprint = UnicodeAttribute()
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    reviewed_by = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    destination_sealed = BinaryAttribute(null=True, legacy_encoding=False)
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    gsi2pk = UnicodeAttribute()
    gsi2sk = UnicodeAttribute()
    by_user = _ByUserIndex()
    by_status = _ByStatusIndex()


class _DailyTotalItem(Model):
    class Meta(_WithdrawalsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    total = NumberAttribute(default=0)
    expires_at = NumberAttribute()


def _key(withdrawal_id: str) -> str:
    return f"WITHDRAWAL#{withdrawal_id}"


def _user_key(user_id: str) -> str:
    return f"USER#{user_id}"


def _status_key(status: WithdrawalStatus) -> str:
    return f"STATUS#{status.value}"


def _item(withdrawal: Withdrawal) -> _WithdrawalItem:
    created_at = iso(withdrawal.created_at)
    return _WithdrawalItem(
        _key(withdrawal.id),
        WITHDRAWAL_SK,
        withdrawal_id=withdrawal.id,
        user_id=withdrawal.user_id,
        amount=withdrawal.amount,
        status=withdrawal.status.value,
        destination_masked=withdrawal.destination_masked,
        destination_sealed=withdrawal.sealed_destination,
        request_fingerprint=withdrawal.request_fingerprint,
        created_at=created_at,
        updated_at=iso(withdrawal.updated_at),
        gsi1pk=_user_key(withdrawal.user_id),
        gsi1sk=f"{created_at}#{withdrawal.id}",
        gsi2pk=_status_key(withdrawal.status),
        gsi2sk=f"{created_at}#{withdrawal.id}",
    )


def _withdrawal(item: _WithdrawalItem) -> Withdrawal:
    return Withdrawal(
        id=item.withdrawal_id,
        user_id=item.user_id,
        amount=int(item.amount),
        status=WithdrawalStatus(item.status),
        destination_masked=item.destination_masked,
        created_at=datetime.fromisoformat(item.created_at),
        updated_at=datetime.fromisoformat(item.updated_at),
        request_fingerprint=item.request_fingerprint,
        reviewed_by=item.reviewed_by,
        reason=item.reason,
        sealed_destination=item.destination_sealed,
    )


class WithdrawalStore:
    def create_with(self, writes: Transaction, withdrawal: Withdrawal) -> Check | None:
        """Within `writes`, put the withdrawal if its id is new; the check fails when it is not."""
        return writes.put(_item(withdrawal), _WithdrawalItem.pk.does_not_exist())

    def add_to_daily_total_with(
        self, writes: Transaction, user_id: str, day: datetime, amount: int, limit: int
    ) -> Check | None:
        """Within `writes`, add `amount` to the user's total of `day` (UTC) unless it would pass `limit`;
        the check fails when it would. A conditional ADD: concurrent requests can never pass it together."""
        item = _DailyTotalItem(_user_key(user_id), f"DAY#{day.date().isoformat()}")
        expires = day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=DAILY_TOTAL_DAYS)
        actions: list[Action] = [
            _DailyTotalItem.total.add(amount),
            _DailyTotalItem.expires_at.set(int(expires.timestamp())),
        ]
        fits = _DailyTotalItem.total.does_not_exist() | (_DailyTotalItem.total <= limit - amount)
        return writes.update(item, actions, fits)

    def get(self, withdrawal_id: str) -> Withdrawal | None:
        try:
            return _withdrawal(_WithdrawalItem.get(_key(withdrawal_id), WITHDRAWAL_SK, consistent_read=True))
        except _WithdrawalItem.DoesNotExist:
            return None

    def of_user(self, user_id: str, limit: int, cursor: str | None) -> Page[Withdrawal]:
        """One page of the user's withdrawals, newest first."""
        return self._page(
            _WithdrawalItem.by_user, "gsi1", _user_key(user_id), limit=limit, cursor=cursor, newest_first=True
        )

    def with_status(self, status: WithdrawalStatus, limit: int, cursor: str | None) -> Page[Withdrawal]:
        """One page of the review queue of `status`, oldest first (first come, first reviewed)."""
        return self._page(
            _WithdrawalItem.by_status,
            "gsi2",
            _status_key(status),
            limit=limit,
            cursor=cursor,
            newest_first=False,
        )

    def transition(
        self,
        withdrawal: Withdrawal,
        to: WithdrawalStatus,
        allowed_from: frozenset[WithdrawalStatus],
        *,
        reviewed_by: str,
        reason: str | None,
        at: datetime,
        erase_destination: bool = False,
    ) -> bool:
        """Move the withdrawal to `to` if its status is still one of `allowed_from` (and, in the same write,
        erase its sealed destination if asked); False when it is not (someone moved it first), and nothing
        changes."""
        item = _WithdrawalItem(_key(withdrawal.id), WITHDRAWAL_SK)
        actions: list[Action] = [
            _WithdrawalItem.status.set(to.value),
            _WithdrawalItem.gsi2pk.set(_status_key(to)),
            _WithdrawalItem.updated_at.set(iso(at)),
            _WithdrawalItem.reviewed_by.set(reviewed_by),
        ]
        if reason is not None:
            actions.append(_WithdrawalItem.reason.set(reason))
        if erase_destination:
            actions.append(_WithdrawalItem.destination_sealed.remove())
        return update_if(
            item, actions, _WithdrawalItem.status.is_in(*(status.value for status in allowed_from))
        )

    def erase_destinations_of(self, user_id: str) -> None:
        """Erasure: remove every sealed destination the user's withdrawals still hold. Each removal is
        conditional on the item still existing (never recreating one); running it again finds none."""
        for item in _WithdrawalItem.by_user.query(_user_key(user_id)):
            if item.destination_sealed is not None:
                update_if(
                    _WithdrawalItem(item.pk, WITHDRAWAL_SK),
                    [_WithdrawalItem.destination_sealed.remove()],
                    _WithdrawalItem.pk.exists(),
                )

    @staticmethod
    def _page(
        index: GlobalSecondaryIndex[_WithdrawalItem],
        prefix: str,
        partition: str,
        *,
        limit: int,
        cursor: str | None,
        newest_first: bool,
    ) -> Page[Withdrawal]:
        start_key = resume_key(
            cursor, key_names=("pk", "sk", f"{prefix}pk", f"{prefix}sk"), partition=(f"{prefix}pk", partition)
        )
        results = index.query(
            partition, scan_index_forward=not newest_first, limit=limit, last_evaluated_key=start_key
        )
        items = [_withdrawal(item) for item in results]
        return Page(items, encode_cursor(results.last_evaluated_key))
