"""`make dev`: the whole platform on http://127.0.0.1:3000 (`--port` or PORT changes it); Ctrl-C stops it.

The port is bound before anything starts (a taken port is a one-line error, exit status 1) and the banner is
printed once the server accepts connections, so what it announces is reachable.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

from local_runtime.resources import environment

# Like Lambda, the functions' variables exist before any of their modules loads (Powertools reads its
# service name at import).
os.environ.update(environment())
# Powertools warns on every request that publishes no custom metric; locally that is noise.
warnings.filterwarnings("ignore", "No application metrics to publish")

import uvicorn  # noqa: E402

from local_runtime.console import use_readable_logs  # noqa: E402
from local_runtime.platform import LocalPlatform  # noqa: E402
from local_runtime.schedules import InvalidSchedule  # noqa: E402
from twtc_core.observability import logger  # noqa: E402

GRACEFUL_STOP_SECONDS = 5


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local_runtime", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PORT", "3000")), help="0: any free port"
    )
    parser.add_argument(
        "--aws-port",
        type=int,
        default=None,
        help="also serve moto itself on this port (0: any free one), for `aws --endpoint-url` and tests",
    )
    parser.add_argument(
        "--plugin",
        action="append",
        default=[],
        help="module whose install(platform) adds local-only functions",
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        default=None,
        help='once serving, write {"url": ..., "aws_endpoint": ...} there (how tests learn the ports)',
    )
    return parser.parse_args()


def banner(platform: LocalPlatform) -> str:
    admin = platform.admin
    lines = [
        "",
        f"TWTC local platform  {platform.url}",
        f"  Swagger UI         {platform.url}/docs",
        f"  AsyncAPI           {platform.url}/asyncapi.json  (WebSocket messages)",
        f"  WebSocket          ws://{platform.host}:{platform.port}/ws?token=<access token>",
        f"  Admin              {admin.username} / {admin.password}" if admin else "",
        f"  Seeded items       {platform.seeded_items} (videos, task types, quiz bank, ad units)",
    ]
    if platform.aws_endpoint:
        lines.append(
            f"  AWS (moto)         {platform.aws_endpoint}  (aws --endpoint-url {platform.aws_endpoint} ...)"
        )
    lines.append("  HTTP routes:")
    lines += [
        f"    {route.key:<48} {'' if route.authorized else '(public)'}" for route in platform.http_routes()
    ]
    lines.append("  WebSocket routes:  " + " ".join(sorted(platform.websocket_routes())))
    lines.append("  Schedules:         " + " ".join(platform.scheduler.names()))
    lines.append("  Queue consumers:   " + " ".join(sorted(platform.pollers)))
    lines.append(
        "  Local controls:    /_local/clock  /_local/schedules  /_local/outbox  /_local/queues/{name}/drain"
        "  /_local/twilio/calls"
    )
    return "\n".join(line for line in lines if line) + "\n"


class _RefusedHandshakeFilter(logging.Filter):
    """uvicorn logs a refused WebSocket (the `$connect` function answered non-2xx, sent as an HTTP denial
    response) as an error; for API Gateway it is an ordinary outcome."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing handshake" not in record.getMessage()


class _Server(uvicorn.Server):
    """uvicorn's server, telling when it accepts connections."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_started()


def _bind(host: str, port: int) -> socket.socket:
    """The listening address, taken before the platform starts; exits with one line if it is in use."""
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        sys.exit(f"error: cannot listen on {host}:{port}: {error.strerror} (choose another with --port)")
    return listener


def _announce(platform: LocalPlatform, ready_file: Path | None) -> None:
    print(banner(platform), flush=True)
    if ready_file is not None:
        written = ready_file.with_suffix(".tmp")
        written.write_text(json.dumps({"url": platform.url, "aws_endpoint": platform.aws_endpoint}))
        written.replace(ready_file)  # readers never see half a file


def main() -> None:
    arguments = _arguments()
    listener = _bind(arguments.host, arguments.port)
    platform = LocalPlatform(
        host=arguments.host,
        port=listener.getsockname()[1],
        aws_port=arguments.aws_port,
        plugins=tuple(arguments.plugin),
    )
    logging.getLogger("uvicorn.error").addFilter(_RefusedHandshakeFilter())
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every AWS call
    use_readable_logs(logger)
    try:
        platform.start()
        # No proxy headers: the source IP is the socket peer, as API Gateway sees it. uvicorn would
        # otherwise take it from any client's X-Forwarded-For. Ctrl-C lets requests in flight finish
        # for a few seconds, not for ever (an open WebSocket would otherwise hold the stop).
        config = uvicorn.Config(
            platform.build_app(),
            log_level="warning",
            proxy_headers=False,
            timeout_graceful_shutdown=GRACEFUL_STOP_SECONDS,
        )
        _Server(config, on_started=lambda: _announce(platform, arguments.ready_file)).run(sockets=[listener])
    except InvalidSchedule as error:
        sys.exit(f"error: {error}")
    except KeyboardInterrupt:  # Ctrl-C during start-up, or re-raised by uvicorn after its clean stop
        pass
    finally:
        platform.stop()


if __name__ == "__main__":
    main()
