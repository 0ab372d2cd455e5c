"""Presence rules: who is connected, whether their connections are still live, who watches whom.

A connection is live until its last heartbeat's window passes (`liveness`), and never past API Gateway's
2-hour limit; a user is ONLINE while one of their connections is live (so several tabs are safe, and a
lost `$disconnect` only lasts until the window passes), BUSY during a call, OFFLINE otherwise. A host who
accepts calls is listed in the lobby while connected. Changes are announced to the connections that
subscribed to the user; a new subscriber is told the current status at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from twtc_core.accounts.models import takes_calls
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.cognito import UserPool
from twtc_core.connections import Connection, ConnectionStore
from twtc_core.errors import DomainError, MalformedRequest, NotFound, Unauthenticated
from twtc_core.push import Pusher
from twtc_core.push_messages import ErrorMessage, PresenceMessage

API_GATEWAY_CONNECTION_LIMIT = timedelta(hours=2)


class UnknownAction(MalformedRequest):
    code = "unknown_action"


class ConnectionGone(NotFound):
    code = "connection_not_found"


@dataclass(frozen=True)
class Presence:
    identity: UserPool
    connections: ConnectionStore
    profiles: ProfileStore
    pusher: Pusher
    liveness: timedelta  # a connection stays live this long after its last heartbeat

    def connect(self, connection_id: str, token: str | None, now: datetime) -> str:
        if not token:
            raise Unauthenticated("Connect with ?token=<access token>.")
        user_id = self.identity.user_id_for(token)
        closes_at = now + API_GATEWAY_CONNECTION_LIMIT
        live_until = min(now + self.liveness, closes_at)
        self.connections.open(connection_id, user_id, now, live_until, closes_at)
        self._list_if_host(user_id, live_until)
        self.pusher.announce_presence(user_id)
        return user_id

    def heartbeat(self, connection_id: str, now: datetime) -> None:
        connection = self._open_connection(connection_id)
        live_until = min(now + self.liveness, datetime.fromtimestamp(connection.expires_at, now.tzinfo))
        if not self.connections.refresh(connection, now, live_until):
            raise ConnectionGone("This connection is closed.")
        # Read on every heartbeat, so turning accepts_calls on while connected lists the host within one.
        self._list_if_host(connection.user_id, live_until)
        if not connection.is_live(now):
            self.pusher.announce_presence(connection.user_id)  # it had lapsed: they may have been OFFLINE

    def disconnect(self, connection_id: str, now: datetime) -> None:
        closed = self.connections.close(connection_id, now)
        if closed is not None and closed.went_offline:
            self.pusher.announce_presence(closed.user_id, "OFFLINE")

    def subscribe(self, connection_id: str, user_ids: list[str], now: datetime) -> None:
        connection = self._open_connection(connection_id)
        watched = list(dict.fromkeys(user_ids))
        self.connections.subscribe(connection, watched)
        for user_id in watched:
            status = self.connections.status_of(user_id, now)
            message = PresenceMessage(user_id=user_id, status=status).model_dump()
            self.pusher.to_connections([connection_id], message)

    def tell_error(self, connection_id: str, error: DomainError) -> None:
        message = ErrorMessage(code=error.code, message=error.message)
        self.pusher.to_connections([connection_id], message.model_dump())

    def _open_connection(self, connection_id: str) -> Connection:
        connection = self.connections.get(connection_id)
        if connection is None:
            raise ConnectionGone("This connection is closed.")
        return connection

    def _list_if_host(self, user_id: str, live_until: datetime) -> None:
        profile = self.profiles.get(user_id)
        if takes_calls(profile):
            self.connections.enter_lobby(user_id, live_until)


def reject_unknown_action(action: str | None) -> None:
    raise UnknownAction(f"Unknown action {action!r}; the actions are 'subscribe' and 'heartbeat'.")
