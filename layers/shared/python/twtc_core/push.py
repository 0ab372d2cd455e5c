"""Server-to-client messages over the WebSocket API (presence, call.*, mining.*, kyc.updated).

A message is posted to each open connection through API Gateway's management API
(`apigatewaymanagementapi`, endpoint WEBSOCKET_MANAGEMENT_ENDPOINT: `https://<api>.execute-api.<region>
.amazonaws.com/<stage>` deployed, the local runtime's `http://127.0.0.1:<port>` on a laptop). A connection
that answers 410 Gone is closed for good and forgotten, exactly as a `$disconnect` would: when it was its
user's last live connection, their subscribers are told their new status.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import boto3
from pydantic_settings import BaseSettings, SettingsConfigDict

from twtc_core.clock import utc_now
from twtc_core.connections import ConnectionStore
from twtc_core.observability import logger
from twtc_core.push_messages import PresenceMessage, PresenceStatus


class PushSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True)

    websocket_management_endpoint: str = ""
    aws_region: str = "us-east-1"


class Pusher:
    def __init__(self, connections: ConnectionStore, settings: PushSettings | None = None) -> None:
        self._connections = connections
        self._settings = settings or PushSettings()

    @cached_property
    def _client(self) -> Any:
        # Created on first push, so a function that never pushes needs no endpoint.
        return boto3.client(
            "apigatewaymanagementapi",
            endpoint_url=self._settings.websocket_management_endpoint,
            region_name=self._settings.aws_region,
        )

    def to_user(self, user_id: str, message: dict[str, Any]) -> int:
        """Post to every open connection (tab) of the user; how many received it."""
        return self.to_connections(self._connections.connections_of(user_id), message)

    def announce_presence(self, user_id: str, status: PresenceStatus | None = None) -> None:
        """Tell the user's subscribers their status (read now unless the caller just read it)."""
        status = status or self._connections.status_of(user_id, utc_now())
        message = PresenceMessage(user_id=user_id, status=status).model_dump()
        self.to_connections(self._connections.subscribers_of(user_id), message)

    def to_connections(self, connection_ids: Iterable[str], message: dict[str, Any]) -> int:
        data = json.dumps(message, separators=(",", ":")).encode()
        delivered = 0
        for connection_id in connection_ids:
            try:
                self._client.post_to_connection(ConnectionId=connection_id, Data=data)
            except self._client.exceptions.GoneException:
                logger.info("dropping a gone connection", extra={"connection_id": connection_id})
                closed = self._connections.close(connection_id, utc_now())
                if closed is not None and closed.went_offline:
                    # Each gone connection is closed once, so this recursion ends.
                    self.announce_presence(closed.user_id, "OFFLINE")
            else:
                delivered += 1
        return delivered
