"""Presence rules: who is connected, how many tabs they have open, who watches whom.

A user is ONLINE while at least one connection is open (counted atomically, so several tabs are safe) and
OFFLINE otherwise. Every change is announced to the connections that subscribed to the user; a new
subscriber is told the current status at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from twtc_core.cognito import UserPool
from twtc_core.connections import ConnectionStore, presence_status
from twtc_core.errors import DomainError, MalformedRequest, NotFound, Unauthenticated
from twtc_core.push import Pusher
from twtc_core.push_messages import ErrorMessage, PresenceMessage


class UnknownAction(MalformedRequest):
    code = "unknown_action"


class ConnectionGone(NotFound):
    code = "connection_not_found"


@dataclass(frozen=True)
class Presence:
    identity: UserPool
    connections: ConnectionStore
    pusher: Pusher

    def connect(self, connection_id: str, token: str | None, now: datetime, ttl_seconds: int) -> str:
        if not token:
            raise Unauthenticated("Connect with ?token=<access token>.")
        user_id = self.identity.user_id_for(token)
        self.connections.open(connection_id, user_id, now, now + timedelta(seconds=ttl_seconds))
        self._announce(user_id)
        return user_id

    def disconnect(self, connection_id: str) -> None:
        user_id = self.connections.close(connection_id)
        if user_id is not None:
            self._announce(user_id)

    def subscribe(self, connection_id: str, user_ids: list[str]) -> None:
        connection = self.connections.get(connection_id)
        if connection is None:
            raise ConnectionGone("This connection is closed.")
        watched = list(dict.fromkeys(user_ids))
        self.connections.subscribe(connection, watched)
        for user_id in watched:
            self.pusher.to_connections([connection_id], self._presence_of(user_id))

    def tell_error(self, connection_id: str, error: DomainError) -> None:
        message = ErrorMessage(code=error.code, message=error.message)
        self.pusher.to_connections([connection_id], message.model_dump())

    def _announce(self, user_id: str) -> None:
        self.pusher.to_connections(self.connections.subscribers_of(user_id), self._presence_of(user_id))

    def _presence_of(self, user_id: str) -> dict[str, str]:
        status = presence_status(self.connections.open_connections(user_id))
        return PresenceMessage(user_id=user_id, status=status).model_dump()


def reject_unknown_action(action: str | None) -> None:
    raise UnknownAction(f"Unknown action {action!r}; the only action is 'subscribe'.")
