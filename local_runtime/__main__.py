"""`make dev`: the whole platform on http://127.0.0.1:3000 (`--port` or PORT changes it); Ctrl-C stops it."""

from __future__ import annotations

import argparse
import logging
import os
import warnings

from local_runtime.resources import environment

# Like Lambda, the functions' variables exist before any of their modules loads (Powertools reads its
# service name at import).
os.environ.update(environment())
# Powertools warns on every request that publishes no custom metric; locally that is noise.
warnings.filterwarnings("ignore", "No application metrics to publish")

import uvicorn  # noqa: E402

from local_runtime.platform import LocalPlatform  # noqa: E402


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local_runtime", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
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
    return parser.parse_args()


def banner(platform: LocalPlatform) -> str:
    admin = platform.admin
    lines = [
        "",
        f"TWTC local platform  {platform.url}",
        f"  Swagger UI         {platform.url}/docs",
        f"  WebSocket          ws://{platform.host}:{platform.port}/ws?token=<access token>",
        f"  Admin              {admin.username} / {admin.password}" if admin else "",
        f"  Seeded items       {platform.seeded_items} (videos, task types, ad units)",
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
    )
    return "\n".join(line for line in lines if line) + "\n"


class _RefusedHandshakeFilter(logging.Filter):
    """uvicorn logs a refused WebSocket (the `$connect` function answered non-2xx, sent as an HTTP denial
    response) as an error; for API Gateway it is an ordinary outcome."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing handshake" not in record.getMessage()


def main() -> None:
    arguments = _arguments()
    platform = LocalPlatform(
        host=arguments.host, port=arguments.port, aws_port=arguments.aws_port, plugins=tuple(arguments.plugin)
    )
    logging.getLogger("uvicorn.error").addFilter(_RefusedHandshakeFilter())
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every AWS call
    platform.start()
    try:
        print(banner(platform), flush=True)
        uvicorn.run(platform.build_app(), host=arguments.host, port=arguments.port, log_level="warning")
    finally:
        platform.stop()


if __name__ == "__main__":
    main()
