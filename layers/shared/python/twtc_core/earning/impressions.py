"""Ad impressions and AdMob transactions in the earning table (docs/access-patterns.md, "Earning"):

  IMPRESSION#<id>   / IMPRESSION   an issued ad: its user, placement, unit, minimum watch time, status
                                   ISSUED -> COMPLETED (watched long enough) -> USED (spent once), and
                                   `network_confirmed` once AdMob's signed callback named it
  ADMOB_TX#<tx_id>  / ADMOB_TX     an AdMob callback already applied (idempotency on transaction_id)
`purge_at` (epoch seconds) is the table's TTL attribute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from twtc_core.clock import iso
from twtc_core.dynamo import Check, Transaction
from twtc_core.earning._table import EarningTable, parse_iso
from twtc_core.earning.models import AdUnit, Impression, Placement
from twtc_core.ids import new_id

IMPRESSION_SK = "IMPRESSION"
ADMOB_TX_SK = "ADMOB_TX"
KEEP = timedelta(days=30)  # impressions and callbacks stay this long for support and fraud review


class _ImpressionItem(Model):
    class Meta(EarningTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=IMPRESSION_SK)
    impression_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    placement = UnicodeAttribute()
    ad_unit_id = UnicodeAttribute()
    network = UnicodeAttribute()
    network_ad_unit_id = UnicodeAttribute()
    min_watch_seconds = NumberAttribute()
    issued_at = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    status = UnicodeAttribute()
    completed_at = UnicodeAttribute(null=True)
    used_for = UnicodeAttribute(null=True)
    network_confirmed = BooleanAttribute(default=False)
    purge_at = NumberAttribute()


class _AdMobTransactionItem(Model):
    class Meta(EarningTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=ADMOB_TX_SK)
    impression_id = UnicodeAttribute()
    received_at = UnicodeAttribute()
    purge_at = NumberAttribute()


def _key(impression_id: str) -> _ImpressionItem:
    return _ImpressionItem(f"IMPRESSION#{impression_id}", IMPRESSION_SK)


def _impression(item: _ImpressionItem) -> Impression:
    return Impression(
        impression_id=item.impression_id,
        user_id=item.user_id,
        placement=item.placement,  # type: ignore[arg-type]
        ad_unit_id=item.ad_unit_id,
        network=item.network,
        network_ad_unit_id=item.network_ad_unit_id,
        min_watch_seconds=int(item.min_watch_seconds),
        issued_at=parse_iso(item.issued_at),
        expires_at=parse_iso(item.expires_at),
        status=item.status,  # type: ignore[arg-type]
        network_confirmed=bool(item.network_confirmed),
    )


class ImpressionStore:
    def issue(
        self,
        *,
        user_id: str,
        placement: Placement,
        unit: AdUnit,
        min_watch_seconds: int,
        now: datetime,
        max_age: timedelta,
    ) -> Impression:
        impression_id = new_id()
        item = _ImpressionItem(
            f"IMPRESSION#{impression_id}",
            impression_id=impression_id,
            user_id=user_id,
            placement=placement,
            ad_unit_id=unit.ad_unit_id,
            network=unit.network,
            network_ad_unit_id=unit.network_ad_unit_id,
            min_watch_seconds=min_watch_seconds,
            issued_at=iso(now),
            expires_at=iso(now + max_age),
            status="ISSUED",
            purge_at=int((now + KEEP).timestamp()),
        )
        item.save(condition=_ImpressionItem.pk.does_not_exist())
        return _impression(item)

    def get(self, impression_id: str) -> Impression | None:
        try:
            return _impression(
                _ImpressionItem.get(f"IMPRESSION#{impression_id}", IMPRESSION_SK, consistent_read=True)
            )
        except _ImpressionItem.DoesNotExist:
            return None

    def complete_with(self, writes: Transaction, impression: Impression, now: datetime) -> Check | None:
        """Mark the user's issued impression watched; the check fails when it is no longer ISSUED."""
        return writes.update(
            _key(impression.impression_id),
            [_ImpressionItem.status.set("COMPLETED"), _ImpressionItem.completed_at.set(iso(now))],
            (_ImpressionItem.status == "ISSUED") & (_ImpressionItem.user_id == impression.user_id),
        )

    def use_with(
        self,
        writes: Transaction,
        *,
        impression_id: str,
        user_id: str,
        placement: Placement,
        used_for: str,
        now: datetime,
        network_confirmed: bool,
    ) -> Check | None:
        """Spend the user's watched, unexpired impression of this placement once; the check fails otherwise
        (also when `network_confirmed` is required and AdMob has not confirmed it)."""
        usable: Condition = (
            (_ImpressionItem.user_id == user_id)
            & (_ImpressionItem.placement == placement)
            & (_ImpressionItem.status == "COMPLETED")
            & (_ImpressionItem.expires_at > iso(now))
        )
        if network_confirmed:
            usable &= _ImpressionItem.network_confirmed == True  # noqa: E712  (a PynamoDB condition)
        return writes.update(
            _key(impression_id),
            [_ImpressionItem.status.set("USED"), _ImpressionItem.used_for.set(used_for)],
            usable,
        )

    def watch_and_use_with(
        self, writes: Transaction, *, impression_id: str, user_id: str, used_for: str, now: datetime
    ) -> Check | None:
        """Complete and spend, in one step, the user's TASK impression whose watch time its task has
        already timed on the server; the check fails when it was spent already."""
        return writes.update(
            _key(impression_id),
            [
                _ImpressionItem.status.set("USED"),
                _ImpressionItem.completed_at.set(iso(now)),
                _ImpressionItem.used_for.set(used_for),
            ],
            (_ImpressionItem.user_id == user_id)
            & (_ImpressionItem.placement == "TASK")
            & _ImpressionItem.status.is_in("ISSUED", "COMPLETED"),
        )

    def confirm_by_network(self, impression_id: str, transaction_id: str, now: datetime) -> bool:
        """Record AdMob's callback `transaction_id` and mark the impression network-confirmed, together;
        False when that transaction was already applied or the impression does not exist."""
        writes = Transaction()
        writes.put(
            _AdMobTransactionItem(
                f"ADMOB_TX#{transaction_id}",
                impression_id=impression_id,
                received_at=iso(now),
                purge_at=int((now + KEEP).timestamp()),
            ),
            _AdMobTransactionItem.pk.does_not_exist(),
        )
        writes.update(
            _key(impression_id), [_ImpressionItem.network_confirmed.set(True)], _ImpressionItem.pk.exists()
        )
        return not writes.commit()
