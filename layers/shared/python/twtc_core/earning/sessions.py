"""Mining sessions in the earning table (docs/access-patterns.md, "Earning"):

MINER#<user> / STATE                 the user's mining lock: the last start and when it ends. A start is
                                     one conditional put of it, so two starts can never both succeed
MINER#<user> / SESSION#<session_id>  a session (ULID ids: the newest sorts last); GSI `due` (sparse, only
                                     until settled): DUE#<group>#<shard> / <ends_at>#<user>#<session_id>,
                                     so a group's window job reads only the sessions that came due. The
                                     user's shard spreads a group's window crowd over DUE_SHARDS index
                                     partitions (issue 15: one took ~67 % of a partition's writes at
                                     1 million users)
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from twtc_core.clock import iso
from twtc_core.dynamo import Check, Transaction, update_if
from twtc_core.earning._table import EarningTable, parse_iso
from twtc_core.earning.models import MiningSession
from twtc_core.ids import stable_shard

STATE_SK = "STATE"
SESSION_PREFIX = "SESSION#"
LATEST_AT_OR_BEFORE = "~"  # sorts after every `#<user>#<session>` suffix of a due key
DUE_SHARDS = 10


class _DueIndex(GlobalSecondaryIndex["_SessionItem"]):
    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_pk = UnicodeAttribute(hash_key=True)
    due_sk = UnicodeAttribute(range_key=True)


class _MinersIndex(GlobalSecondaryIndex["_StateItem"]):
    class Meta:
        index_name = "miners"
        projection = AllProjection()

    miners_pk = UnicodeAttribute(hash_key=True)
    miners_sk = UnicodeAttribute(range_key=True)


class _StateItem(Model):
    class Meta(EarningTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=STATE_SK)
    user_id = UnicodeAttribute()
    group = NumberAttribute()
    last_session_id = UnicodeAttribute()
    last_started_at = UnicodeAttribute()
    last_ends_at = UnicodeAttribute()
    miners_pk = UnicodeAttribute()
    miners_sk = UnicodeAttribute()
    miners = _MinersIndex()


class _SessionItem(Model):
    class Meta(EarningTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    session_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    group = NumberAttribute()
    started_at = UnicodeAttribute()
    ends_at = UnicodeAttribute()
    base_reward = NumberAttribute()
    boost_multiplier = NumberAttribute()
    status = UnicodeAttribute()
    impression_id = UnicodeAttribute()
    settled_at = UnicodeAttribute(null=True)
    due_pk = UnicodeAttribute(null=True)
    due_sk = UnicodeAttribute(null=True)
    due = _DueIndex()


def miner_key(user_id: str) -> str:
    return f"MINER#{user_id}"


def _miners_pk(group: int) -> str:
    return f"MINERS#{group:02d}"


def _due_pk(group: int, user_id: str) -> str:
    """The user's due shard of the group: stable, so a session is filed and settled under one key."""
    return due_shard_key(group, stable_shard(user_id, DUE_SHARDS))


def due_shard_key(group: int, shard: int) -> str:
    return f"DUE#{group:02d}#{shard:02d}"


def _session(item: _SessionItem) -> MiningSession:
    return MiningSession(
        session_id=item.session_id,
        user_id=item.user_id,
        group=int(item.group),
        started_at=parse_iso(item.started_at),
        ends_at=parse_iso(item.ends_at),
        base_reward=int(item.base_reward),
        boost_multiplier=int(item.boost_multiplier),
        status=item.status,  # type: ignore[arg-type]
    )


class MiningStore:
    def latest_of(self, user_id: str) -> MiningSession | None:
        """The user's newest session (one query of their own items)."""
        for item in _SessionItem.query(
            miner_key(user_id),
            _SessionItem.sk.startswith(SESSION_PREFIX),
            scan_index_forward=False,
            limit=1,
            consistent_read=True,
        ):
            return _session(item)
        return None

    def start_with(
        self, writes: Transaction, session: MiningSession, impression_id: str, last_start_before: datetime
    ) -> Check | None:
        """Within `writes`, start the session; the check fails while the user's last session has not ended
        or started after `last_start_before` (the cooldown)."""
        free = _StateItem.pk.does_not_exist() | (
            (_StateItem.last_ends_at <= iso(session.started_at))
            & (_StateItem.last_started_at <= iso(last_start_before))
        )
        lock = writes.put(
            _StateItem(
                miner_key(session.user_id),
                STATE_SK,
                user_id=session.user_id,
                group=session.group,
                last_session_id=session.session_id,
                last_started_at=iso(session.started_at),
                last_ends_at=iso(session.ends_at),
                miners_pk=_miners_pk(session.group),
                miners_sk=f"{iso(session.started_at)}#{session.user_id}",
            ),
            free,
        )
        writes.put(
            _SessionItem(
                miner_key(session.user_id),
                f"{SESSION_PREFIX}{session.session_id}",
                session_id=session.session_id,
                user_id=session.user_id,
                group=session.group,
                started_at=iso(session.started_at),
                ends_at=iso(session.ends_at),
                base_reward=session.base_reward,
                boost_multiplier=session.boost_multiplier,
                status=session.status,
                impression_id=impression_id,
                due_pk=_due_pk(session.group, session.user_id),
                due_sk=f"{iso(session.ends_at)}#{session.user_id}#{session.session_id}",
            )
        )
        return lock

    def mark_settled(self, session: MiningSession, now: datetime) -> bool:
        """ACTIVE -> COMPLETED, off the due index; False when it was settled already."""
        item = _SessionItem(miner_key(session.user_id), f"{SESSION_PREFIX}{session.session_id}")
        return update_if(
            item,
            [
                _SessionItem.status.set("COMPLETED"),
                _SessionItem.settled_at.set(iso(now)),
                _SessionItem.due_pk.remove(),
                _SessionItem.due_sk.remove(),
            ],
            _SessionItem.status == "ACTIVE",
        )

    def add_boost_with(self, writes: Transaction, user_id: str, session_id: str, points: int) -> None:
        """Within `writes`, add a boost's `points` (its multiplier percent above 100) to the session's
        multiplier; a settled session takes it too (settlement credits the base reward only)."""
        item = _SessionItem(miner_key(user_id), f"{SESSION_PREFIX}{session_id}")
        writes.update(item, [_SessionItem.boost_multiplier.add(points)], _SessionItem.pk.exists())

    def due_in_group(self, group: int, now: datetime) -> Iterator[MiningSession]:
        """The group's unsettled sessions that ended by `now`, oldest first (never the group's others):
        its shards' queries merged by due key."""
        until = f"{iso(now)}{LATEST_AT_OR_BEFORE}"
        shards = (
            _SessionItem.due.query(due_shard_key(group, shard), _SessionItem.due_sk <= until)
            for shard in range(DUE_SHARDS)
        )
        for item in heapq.merge(*shards, key=lambda item: item.due_sk):
            yield _session(item)

    def miners_since(self, group: int, since: datetime) -> Iterator[str]:
        """The group's users whose last start is at or after `since` (its recent miners)."""
        for item in _StateItem.miners.query(_miners_pk(group), _StateItem.miners_sk >= iso(since)):
            yield item.user_id

    def idle_miners(self, group: int, last_start_before: datetime) -> Iterator[str]:
        """The group's users whose last start is before the instant, longest idle first."""
        for item in _StateItem.miners.query(_miners_pk(group), _StateItem.miners_sk < iso(last_start_before)):
            yield item.user_id

    def move_with(
        self, writes: Transaction, user_id: str, from_group: int, to_group: int, now: datetime
    ) -> Check | None:
        """Within `writes`, file the user's mining state under `to_group`; the check fails when it is not in
        `from_group` any more or a session of theirs is running."""
        item = _StateItem(miner_key(user_id), STATE_SK)
        return writes.update(
            item,
            [_StateItem.group.set(to_group), _StateItem.miners_pk.set(_miners_pk(to_group))],
            (_StateItem.group == from_group) & (_StateItem.last_ends_at <= iso(now)),
        )
