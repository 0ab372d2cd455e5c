"""The WebSocket API, locally: `/ws` runs `$connect` (refusing the connection when the function answers
non-2xx), routes each message by `$request.body.action` to a named route or `$default`, runs `$disconnect`;
`/@connections/{id}` is the management API the functions reach through boto3's `apigatewaymanagementapi`.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from local_runtime.events import WebSocketEventType, websocket_event
from local_runtime.lambdas import LocalFunction
from twtc_core.clock import iso, utc_now
from twtc_core.observability import logger

ID_ALPHABET = string.ascii_letters + string.digits


@dataclass
class OpenConnection:
    socket: WebSocket
    connected_at: datetime
    source_ip: str
    user_agent: str
    last_active_at: datetime


def new_connection_id() -> str:
    """Shaped like API Gateway's (`CmXkNcQvoAMCIFQ=`): letters and digits, safe in a URL path."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(15)) + "="


def _gone(connection_id: str) -> Response:
    # What API Gateway answers for a closed connection; botocore reads the type from this header.
    return JSONResponse(
        {"message": f"Connection {connection_id} is gone."},
        status_code=410,
        headers={"x-amzn-ErrorType": "GoneException"},
    )


class WebSocketApi:
    def __init__(self, routes: dict[str, LocalFunction]) -> None:
        self.routes = routes
        self._open: dict[str, OpenConnection] = {}

    def _route_for(self, body: str) -> str | None:
        """The route selection expression `$request.body.action`."""
        try:
            action = json.loads(body).get("action")
        except (ValueError, AttributeError):
            action = None
        if isinstance(action, str) and action in self.routes and not action.startswith("$"):
            return action
        return "$default" if "$default" in self.routes else None

    async def _invoke(
        self,
        route: str,
        event_type: WebSocketEventType,
        connection_id: str,
        connected_at: datetime,
        **kw: Any,
    ) -> dict[str, Any]:
        function = self.routes.get(route)
        if function is None:
            return {"statusCode": 200}
        event = websocket_event(
            event_type=event_type,
            route_key=route,
            connection_id=connection_id,
            connected_at=connected_at,
            **kw,
        )
        try:
            return await run_in_threadpool(function.invoke, event) or {"statusCode": 200}
        except Exception:
            # API Gateway logs a failed integration and keeps the connection; $connect is refused (500).
            logger.exception("WebSocket route failed", extra={"route": route, "connection_id": connection_id})
            return {"statusCode": 500}

    async def serve(self, socket: WebSocket) -> None:
        connection_id = new_connection_id()
        connected_at = utc_now()
        source_ip = socket.client.host if socket.client else "127.0.0.1"
        headers = dict(socket.headers.items())
        reply = await self._invoke(
            "$connect",
            "CONNECT",
            connection_id,
            connected_at,
            source_ip=source_ip,
            headers=headers,
            query=dict(socket.query_params.items()),
        )
        status = int(reply.get("statusCode", 200))
        if not 200 <= status < 300:
            await socket.send_denial_response(
                Response(reply.get("body") or "", status_code=status, media_type="application/json")
            )
            return
        await socket.accept()
        self._open[connection_id] = OpenConnection(
            socket, connected_at, source_ip, headers.get("user-agent", ""), connected_at
        )
        try:
            while True:
                message = await socket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                body = message.get("text") or (message.get("bytes") or b"").decode("utf-8", "replace")
                self._open[connection_id].last_active_at = utc_now()
                route = self._route_for(body)
                if route is None:
                    await socket.send_text(json.dumps({"message": "Forbidden"}))
                    continue
                await self._invoke(
                    route, "MESSAGE", connection_id, connected_at, source_ip=source_ip, body=body
                )
        finally:
            self._open.pop(connection_id, None)
            await self._invoke(
                "$disconnect", "DISCONNECT", connection_id, connected_at, source_ip=source_ip, headers=headers
            )

    async def manage(self, request: Request) -> Response:
        """`POST` (send), `GET` (describe), `DELETE` (close) `/@connections/{connectionId}`."""
        connection_id = request.path_params["connection_id"]
        connection = self._open.get(connection_id)
        if connection is None:
            return _gone(connection_id)
        if request.method == "POST":
            data = await request.body()
            try:
                await connection.socket.send_text(data.decode())
            except UnicodeDecodeError:
                await connection.socket.send_bytes(data)
            except (RuntimeError, OSError, WebSocketDisconnect):
                return _gone(connection_id)
            return Response(status_code=200)
        if request.method == "DELETE":
            await connection.socket.close()
            return Response(status_code=204)
        return JSONResponse(
            {
                "ConnectedAt": iso(connection.connected_at),
                "Identity": {"SourceIp": connection.source_ip, "UserAgent": connection.user_agent},
                "LastActiveAt": iso(connection.last_active_at),
            }
        )

    @property
    def open_connections(self) -> list[str]:
        return list(self._open)
