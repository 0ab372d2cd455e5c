"""Data access for the connections table: WebSocket connections, their liveness, subscriptions and the
host lobby. The only code that touches it; one method per access pattern (docs/access-patterns.md):

  CONN#<connection_id> / CONN          a connection: its user, subscriptions, `live_until`; TTL `expires_at`
                                       (API Gateway's 2-hour limit)
  USER#<user>          / CONN#<id>     the user's live connection: TTL `expires_at` = its `live_until`
  USER#<user>          / BUSY          in a call (`call_id`, `since`): written by the calls code
  SUBSCRIBERS#<user>   / CONN#<id>     a connection that watches <user>'s presence, TTL `expires_at`
  LOBBY                / HOST#<user>   a connected host who accepts calls, TTL `expires_at` = the latest
                                       `live_until` of their connections (sparse: connected hosts only)

Presence is derived, never counted: a user is BUSY while their BUSY item exists, else ONLINE while one of
their connection items is live (`expires_at` > now on the injectable clock; DynamoDB deletes expired
items up to days late, so every read filters), else OFFLINE. A lost `$disconnect` therefore cannot leave
anyone ONLINE past their last heartbeat's window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.models import Model

from twtc_core.clock import iso
from twtc_core.dynamo import Transaction
from twtc_core.push_messages import PresenceStatus
from twtc_core.settings import TABLES

CONNECTION_SK = "CONN"
BUSY_SK = "BUSY"
LOBBY_PK = "LOBBY"


class _ConnectionsMeta:
    table_name = TABLES.connections_table_name
    region = TABLES.aws_region


class _ConnectionItem(Model):
    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=CONNECTION_SK)
    connection_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    connected_at = UnicodeAttribute()
    live_until = NumberAttribute()  # epoch seconds: the last heartbeat's window, capped by expires_at
    expires_at = NumberAttribute()  # epoch seconds: DynamoDB TTL at API Gateway's 2-hour limit
    subscriptions = ListAttribute[str](default=list)


class _UserItem(Model):
    """An item of a user's partition: a live connection (`CONN#<id>`) or the BUSY marker."""

    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    last_seen = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)  # a connection's live_until (DynamoDB TTL)


class _SubscriptionItem(Model):
    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    connection_id = UnicodeAttribute()
    expires_at = NumberAttribute()


class _LobbyItem(Model):
    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True, default=LOBBY_PK)
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    expires_at = NumberAttribute()  # the latest live_until of the host's connections (DynamoDB TTL)


@dataclass(frozen=True)
class Connection:
    connection_id: str
    user_id: str
    subscriptions: tuple[str, ...]
    live_until: int  # epoch seconds
    expires_at: int  # epoch seconds: API Gateway closes the socket by then

    def is_live(self, now: datetime) -> bool:
        return self.live_until > now.timestamp()


@dataclass(frozen=True)
class Presence:
    """What a user's partition says: in a call, and whether one of their connections is live."""

    busy: bool
    connected: bool

    @property
    def status(self) -> PresenceStatus:
        if self.busy:
            return "BUSY"
        return "ONLINE" if self.connected else "OFFLINE"


@dataclass(frozen=True)
class Closed:
    """A connection just forgotten: whose it was, and the user's presence without it."""

    user_id: str
    presence: Presence

    @property
    def went_offline(self) -> bool:
        return self.presence.status == "OFFLINE"


@dataclass(frozen=True)
class LobbyChunk:
    host_ids: list[str]  # in lobby order
    exhausted: bool  # no lobby entry after the last one


def _connection_key(connection_id: str) -> str:
    return f"CONN#{connection_id}"


def _user_key(user_id: str) -> str:
    return f"USER#{user_id}"


def _subscribers_key(user_id: str) -> str:
    return f"SUBSCRIBERS#{user_id}"


def _host_key(user_id: str) -> str:
    return f"HOST#{user_id}"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _connection(item: _ConnectionItem) -> Connection:
    return Connection(
        connection_id=item.connection_id,
        user_id=item.user_id,
        subscriptions=tuple(item.subscriptions or ()),
        live_until=int(item.live_until),
        expires_at=int(item.expires_at),
    )


class ConnectionExists(Exception):
    """API Gateway gave a connection id that is already recorded: never expected, so never swallowed."""


class ConnectionStore:
    def open(
        self,
        connection_id: str,
        user_id: str,
        connected_at: datetime,
        live_until: datetime,
        closes_at: datetime,
    ) -> None:
        """Record the connection and the user's live-connection item, atomically."""
        writes = Transaction()
        writes.put(
            _ConnectionItem(
                _connection_key(connection_id),
                connection_id=connection_id,
                user_id=user_id,
                connected_at=iso(connected_at),
                live_until=_epoch(live_until),
                expires_at=_epoch(closes_at),
            ),
            _ConnectionItem.pk.does_not_exist(),
        )
        writes.put(
            _UserItem(
                _user_key(user_id),
                _connection_key(connection_id),
                last_seen=iso(connected_at),
                expires_at=_epoch(live_until),
            )
        )
        if writes.commit():
            raise ConnectionExists(f"Connection {connection_id} is already open.")

    def get(self, connection_id: str) -> Connection | None:
        try:
            item = _ConnectionItem.get(_connection_key(connection_id), CONNECTION_SK, consistent_read=True)
        except _ConnectionItem.DoesNotExist:
            return None
        return _connection(item)

    def refresh(self, connection: Connection, seen_at: datetime, live_until: datetime) -> bool:
        """Extend the connection's liveness (a heartbeat); False when it was closed meanwhile, so a late
        heartbeat never revives a forgotten connection."""
        key = _connection_key(connection.connection_id)
        writes = Transaction()
        writes.update(
            _ConnectionItem(key, CONNECTION_SK),
            [_ConnectionItem.live_until.set(_epoch(live_until))],
            _ConnectionItem.pk.exists(),
        )
        writes.update(
            _UserItem(_user_key(connection.user_id), key),
            [_UserItem.last_seen.set(iso(seen_at)), _UserItem.expires_at.set(_epoch(live_until))],
        )
        return not writes.commit()

    def close(self, connection_id: str, now: datetime) -> Closed | None:
        """Forget the connection and its subscriptions atomically; None when it was already gone
        (`$disconnect` and a 410 cleanup may both try). The user's last live connection takes their lobby
        entry with it."""
        connection = self.get(connection_id)
        if connection is None:
            return None
        key = _connection_key(connection_id)
        writes = Transaction()
        writes.delete(_ConnectionItem(key, CONNECTION_SK), _ConnectionItem.pk.exists())
        writes.delete(_UserItem(_user_key(connection.user_id), key))
        for watched in connection.subscriptions:
            writes.delete(_SubscriptionItem(_subscribers_key(watched), key))
        if writes.commit():
            return None
        presence = self.presence_of(connection.user_id, now)
        if not presence.connected:
            self.leave_lobby(connection.user_id)
        return Closed(connection.user_id, presence)

    def is_connected(self, user_id: str, now: datetime) -> bool:
        """Whether the user has at least one live connection (one consistent query of their partition)."""
        return self.presence_of(user_id, now).connected

    def presence_of(self, user_id: str, now: datetime) -> Presence:
        """BUSY and connected, from one consistent query of the user's partition."""
        items = list(_UserItem.query(_user_key(user_id), consistent_read=True))
        return Presence(
            busy=any(item.sk == BUSY_SK for item in items),
            connected=any(
                item.sk.startswith(_connection_key("")) and (item.expires_at or 0) > _epoch(now)
                for item in items
            ),
        )

    def status_of(self, user_id: str, now: datetime) -> PresenceStatus:
        return self.presence_of(user_id, now).status

    def busy_among(self, user_ids: Iterable[str]) -> frozenset[str]:
        """Which of these users are in a call (one BatchGetItem per 100)."""
        keys = [(_user_key(user_id), BUSY_SK) for user_id in dict.fromkeys(user_ids)]
        if not keys:
            return frozenset()
        return frozenset(item.pk.removeprefix(_user_key("")) for item in _UserItem.batch_get(keys))

    def connections_of(self, user_id: str) -> list[str]:
        """The user's connections (push fan-out); a lapsed one still listed answers 410 and is closed."""
        return [
            item.sk.removeprefix(_connection_key(""))
            for item in _UserItem.query(
                _user_key(user_id), _UserItem.sk.startswith(_connection_key("")), consistent_read=True
            )
        ]

    def subscribe(self, connection: Connection, user_ids: list[str]) -> None:
        """Replace what the connection watches. Soft state: each item expires with the connection."""
        subscriber = _connection_key(connection.connection_id)
        with _SubscriptionItem.batch_write() as batch:
            for dropped in set(connection.subscriptions) - set(user_ids):
                batch.delete(_SubscriptionItem(_subscribers_key(dropped), subscriber))
            for user_id in user_ids:
                batch.save(
                    _SubscriptionItem(
                        _subscribers_key(user_id),
                        subscriber,
                        connection_id=connection.connection_id,
                        expires_at=connection.expires_at,
                    )
                )
        _ConnectionItem(subscriber, CONNECTION_SK).update(
            actions=[_ConnectionItem.subscriptions.set(user_ids)], condition=_ConnectionItem.pk.exists()
        )

    def subscribers_of(self, user_id: str) -> list[str]:
        return [item.connection_id for item in _SubscriptionItem.query(_subscribers_key(user_id))]

    # --- the host lobby ---------------------------------------------------------------------------
    def enter_lobby(self, user_id: str, live_until: datetime) -> None:
        """List the connected host until `live_until`, never shortening a later window another of their
        connections gave (so one tab's heartbeat cannot hide a host whose other tab lives longer)."""
        until = _epoch(live_until)
        try:
            _LobbyItem(LOBBY_PK, _host_key(user_id)).update(
                actions=[_LobbyItem.user_id.set(user_id), _LobbyItem.expires_at.set(until)],
                condition=_LobbyItem.expires_at.does_not_exist() | (_LobbyItem.expires_at < until),
            )
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise

    def leave_lobby(self, user_id: str) -> None:
        _LobbyItem(LOBBY_PK, _host_key(user_id)).delete()

    def lobby_chunk(self, now: datetime, after: str | None, limit: int) -> LobbyChunk:
        """Up to `limit` listed hosts still live at `now`, in lobby order, after the host `after`."""
        start = _host_key(after) if after is not None else _host_key("")
        results = _LobbyItem.query(
            LOBBY_PK,
            _LobbyItem.sk > start,
            filter_condition=_LobbyItem.expires_at > _epoch(now),
            limit=limit,
            consistent_read=True,
        )
        host_ids = [item.user_id for item in results]
        return LobbyChunk(host_ids, exhausted=results.last_evaluated_key is None)
