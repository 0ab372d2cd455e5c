"""The developer's console under `make dev`: one access-log line per HTTP request and the functions' logs as
readable lines with multi-line tracebacks. Deployed functions keep Powertools' JSON lines (CloudWatch
Logs Insights queries them); only the local runtime installs this formatter.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Where the gateway records the caller it authorized (request.state), for the access log.
USER_ID_STATE = "user_id"
# Keys every Powertools line carries that say nothing to someone reading a terminal.
QUIET_KEYS = frozenset(
    {
        "level",
        "location",
        "message",
        "timestamp",
        "service",
        "xray_trace_id",
        "cold_start",
        "function_name",
        "function_memory_size",
        "function_arn",
        "function_request_id",
        "exception",
        "exception_name",
        "exception_notes",
        "sampling_rate",
        "stack_trace",
    }
)


def readable(log: Mapping[str, Any]) -> str:
    """`LEVEL [function] message key=value ...`, then the traceback as Python prints it."""
    function = str(log.get("function_name", "")).removeprefix("twtc-")
    extras = " ".join(f"{key}={value}" for key, value in log.items() if key not in QUIET_KEYS)
    line = " ".join(
        part
        for part in (
            f"{log.get('level', ''):<7}",
            f"[{function}]" if function else "",
            str(log.get("message", "")),
            extras,
        )
        if part
    )
    exception = log.get("exception")
    return f"{line}\n{exception}" if exception else line


def use_readable_logs(logger: Logger) -> None:
    """Every function shares this Powertools logger (one service locally): swap its JSON for lines."""
    logger.registered_handler.setFormatter(LambdaPowertoolsFormatter(json_serializer=readable, utc=True))


class AccessLog:
    """ASGI middleware: `METHOD /path STATUS N ms [user=<sub>]` once each HTTP request is answered."""

    def __init__(self, app: ASGIApp, write: Callable[[str], None] | None = None) -> None:
        self._app = app
        self._write = write or (lambda line: print(line, file=sys.stdout, flush=True))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app fails before responding

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, recording)
        finally:
            elapsed_ms = round((time.perf_counter() - started) * 1000)
            user_id = scope.get("state", {}).get(USER_ID_STATE)
            line = f"{scope['method']} {scope['path']} {status} {elapsed_ms} ms"
            self._write(f"{line} user={user_id}" if user_id else line)
