"""Mining groups: GROUPS / GROUP#<nn>, the members of group nn (read together with other items)."""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.accounts.stores._table import UsersTable
from twtc_core.dynamo import Check, Reads, Transaction

GROUPS_PK = "GROUPS"


class _GroupItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True, default=GROUPS_PK)
    sk = UnicodeAttribute(range_key=True)
    members = NumberAttribute(default=0)


def _group_key(group: int) -> str:
    return f"GROUP#{group:02d}"


class GroupStore:
    def sizes(self) -> dict[int, int]:
        return {
            int(item.sk.removeprefix("GROUP#")): int(item.members)
            for item in _GroupItem.query(GROUPS_PK, consistent_read=True)
        }

    def sizes_with(self, reads: Reads, group_count: int) -> Callable[[], dict[int, int]]:
        """Groups 1..group_count and their sizes (0 for a group nobody joined yet), once `reads` ran."""
        groups = {
            group: reads.get(_GroupItem, GROUPS_PK, _group_key(group)) for group in range(1, group_count + 1)
        }

        def sizes() -> dict[int, int]:
            return {
                group: int(item.members) if (item := read.item()) else 0 for group, read in groups.items()
            }

        return sizes

    def join_with(self, writes: Transaction, group: int, members_seen: int) -> Check | None:
        """Count one more member of `group`; the check fails when its size is no longer `members_seen`."""
        unchanged = _GroupItem.members == members_seen
        if members_seen == 0:
            unchanged = _GroupItem.members.does_not_exist() | unchanged
        return writes.update(_GroupItem(GROUPS_PK, _group_key(group)), [_GroupItem.members.add(1)], unchanged)

    def move_with(self, writes: Transaction, from_group: int, to_group: int) -> None:
        """Within `writes`, count one member less in `from_group` and one more in `to_group` (the writes
        that move the member decide whether it happens, so the counters stay exact)."""
        writes.update(_GroupItem(GROUPS_PK, _group_key(from_group)), [_GroupItem.members.add(-1)])
        writes.update(_GroupItem(GROUPS_PK, _group_key(to_group)), [_GroupItem.members.add(1)])
