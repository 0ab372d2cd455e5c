"""BUSY: who is in a call. Items of the connections table, written only by the call code and read by
presence (BUSY if the item exists, else ONLINE with a live connection, else OFFLINE):

  USER#<user> / BUSY    call_id, since (ISO)

Both parties are claimed in ONE conditional transaction: a host or a caller already in another call makes
it fail, so two callers can never both get one host (a conditional write, not a read-then-write).
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError
from pynamodb.models import Model

from twtc_core.clock import iso
from twtc_core.dynamo import CONDITION_FAILED, Transaction
from twtc_core.settings import TABLES

BUSY_SK = "BUSY"


class BusyItem(Model):
    class Meta:
        table_name = TABLES.connections_table_name
        region = TABLES.aws_region

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=BUSY_SK)
    call_id = UnicodeAttribute()
    since = UnicodeAttribute()


def _user_key(user_id: str) -> str:
    return f"USER#{user_id}"


class BusyStore:
    def claim(self, caller_id: str, host_id: str, call_id: str, now: datetime) -> bool:
        """Both parties BUSY for this call, or neither (False: one is in another call). Claiming again
        for the same call succeeds and changes nothing (a retried voice webhook)."""
        writes = Transaction()
        for user_id in (caller_id, host_id):
            writes.put(
                BusyItem(_user_key(user_id), BUSY_SK, call_id=call_id, since=iso(now)),
                BusyItem.pk.does_not_exist() | (BusyItem.call_id == call_id),
            )
        return not writes.commit()

    def release(self, user_ids: tuple[str, ...], call_id: str) -> None:
        """Drop the parties' BUSY items of this call, never those of a later call; releasing again
        changes nothing."""
        for user_id in user_ids:
            try:
                BusyItem(_user_key(user_id), BUSY_SK).delete(condition=BusyItem.call_id == call_id)
            except DeleteError as error:
                if error.cause_response_code != CONDITION_FAILED:
                    raise

    def is_busy(self, user_id: str) -> bool:
        return bool(self.busy_of((user_id,)))

    def busy_of(self, user_ids: tuple[str, ...]) -> frozenset[str]:
        """Which of these users are in a call (one BatchGetItem)."""
        keys = [(_user_key(user_id), BUSY_SK) for user_id in dict.fromkeys(user_ids)]
        return frozenset(item.pk.removeprefix("USER#") for item in BusyItem.batch_get(keys))
