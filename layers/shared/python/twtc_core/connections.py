"""Data access for the connections table: WebSocket connections, per-user open counts, subscriptions.
The only code that touches it; one method per access pattern (docs/access-patterns.md):

  CONN#<connection_id> / CONN          a connection: its user, its subscriptions, TTL `expires_at`
                                       GSI by_user: USER#<user> / CONN#<connection_id>  (a user's tabs)
  USER#<user>          / PRESENCE      `open_connections`: how many tabs are open (atomic ADD)
  SUBSCRIBERS#<user>   / CONN#<id>     a connection that watches <user>'s presence, TTL `expires_at`
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from twtc_core.clock import iso
from twtc_core.settings import TABLES

PresenceStatus = Literal["ONLINE", "OFFLINE"]


class _ConnectionsMeta:
    table_name = TABLES.connections_table_name
    region = TABLES.aws_region


class ByUserIndex(GlobalSecondaryIndex["ConnectionItem"]):
    class Meta:
        index_name = "by_user"
        projection = AllProjection()

    user_pk = UnicodeAttribute(hash_key=True)
    user_sk = UnicodeAttribute(range_key=True)


class ConnectionItem(Model):
    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="CONN")
    connection_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    connected_at = UnicodeAttribute()
    expires_at = NumberAttribute()  # epoch seconds: DynamoDB TTL
    subscriptions = ListAttribute[str](default=list)
    user_pk = UnicodeAttribute()
    user_sk = UnicodeAttribute()
    by_user = ByUserIndex()


class PresenceItem(Model):
    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="PRESENCE")
    open_connections = NumberAttribute(default=0)


class SubscriptionItem(Model):
    class Meta(_ConnectionsMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    connection_id = UnicodeAttribute()
    expires_at = NumberAttribute()


def _connection_key(connection_id: str) -> str:
    return f"CONN#{connection_id}"


def _user_key(user_id: str) -> str:
    return f"USER#{user_id}"


def _subscribers_key(user_id: str) -> str:
    return f"SUBSCRIBERS#{user_id}"


class ConnectionStore:
    def __init__(self) -> None:
        self._connection = Connection(region=TABLES.aws_region)

    def open(self, connection_id: str, user_id: str, connected_at: datetime, expires_at: datetime) -> None:
        """Record the connection and count it for its user, atomically."""
        item = ConnectionItem(
            _connection_key(connection_id),
            connection_id=connection_id,
            user_id=user_id,
            connected_at=iso(connected_at),
            expires_at=int(expires_at.timestamp()),
            user_pk=_user_key(user_id),
            user_sk=_connection_key(connection_id),
        )
        with TransactWrite(connection=self._connection) as transaction:
            transaction.save(item, condition=ConnectionItem.pk.does_not_exist())
            transaction.update(
                PresenceItem(_user_key(user_id)), actions=[PresenceItem.open_connections.add(1)]
            )

    def get(self, connection_id: str) -> ConnectionItem | None:
        try:
            return ConnectionItem.get(_connection_key(connection_id), "CONN", consistent_read=True)
        except ConnectionItem.DoesNotExist:
            return None

    def close(self, connection_id: str) -> str | None:
        """Forget the connection, uncount it and drop its subscriptions, atomically; the user it was
        for, or None when it was already gone ($disconnect and a 410 cleanup may both try)."""
        item = self.get(connection_id)
        if item is None:
            return None
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.delete(item, condition=ConnectionItem.pk.exists())
                transaction.update(
                    PresenceItem(_user_key(item.user_id)), actions=[PresenceItem.open_connections.add(-1)]
                )
                for watched in item.subscriptions:
                    transaction.delete(SubscriptionItem(_subscribers_key(watched), item.user_sk))
        except TransactWriteError as error:
            if error.cause_response_code == "TransactionCanceledException":
                return None
            raise
        return item.user_id

    def open_connections(self, user_id: str) -> int:
        try:
            return int(
                PresenceItem.get(_user_key(user_id), "PRESENCE", consistent_read=True).open_connections
            )
        except PresenceItem.DoesNotExist:
            return 0

    def is_connected(self, user_id: str, now: datetime) -> bool:
        """Whether the user has a live connection (ONLINE unless BUSY)."""
        return self.open_connections(user_id) > 0

    def connections_of(self, user_id: str) -> list[str]:
        return [item.connection_id for item in ConnectionItem.by_user.query(_user_key(user_id))]

    def subscribe(self, connection: ConnectionItem, user_ids: list[str]) -> None:
        """Replace what the connection watches. Soft state: each item expires with the connection."""
        with SubscriptionItem.batch_write() as batch:
            for dropped in set(connection.subscriptions) - set(user_ids):
                batch.delete(SubscriptionItem(_subscribers_key(dropped), connection.user_sk))
            for user_id in user_ids:
                batch.save(
                    SubscriptionItem(
                        _subscribers_key(user_id),
                        connection.user_sk,
                        connection_id=connection.connection_id,
                        expires_at=connection.expires_at,
                    )
                )
        connection.update(
            actions=[ConnectionItem.subscriptions.set(user_ids)], condition=ConnectionItem.pk.exists()
        )

    def subscribers_of(self, user_id: str) -> list[str]:
        return [item.connection_id for item in SubscriptionItem.query(_subscribers_key(user_id))]


def presence_status(open_connections: int) -> PresenceStatus:
    return "ONLINE" if open_connections > 0 else "OFFLINE"
