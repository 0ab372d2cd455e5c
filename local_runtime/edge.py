"""What stands in front of the HTTP API in AWS, played locally: the WAF's per-IP rate-based rule on the
CloudFront distribution, and API Gateway's body size limit (`EDGE` in the wiring declaration).

The limit counts requests per viewer in fixed windows on the injectable clock, so moving the local clock
is like time passing. The viewer is who the client-IP rule says (the `CloudFront-Viewer-Address` the
runtime passes through, when it is one IP address, else the socket peer), IPv6 counted per /64.
Exempt: the local-only controls (`/_local`), the WebSocket API and its `/@connections` management
endpoint, which CloudFront does not front. Swagger UI and `/openapi.json` count like any request.
"""

from __future__ import annotations

import math
from collections import Counter

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from infra_cdk.wiring import EDGE, EdgeSpec
from local_runtime.http_api import error_body
from twtc_core.clock import CLOCK
from twtc_core.edge import VIEWER_ADDRESS_HEADER, counted_client, forwarded_viewer_ip

EXEMPT_PREFIXES = ("/_local", "/@connections")


class ViewerRateLimit:
    """ASGI middleware: the `spec.requests_per_ip`-th request in a window is the last one served."""

    def __init__(self, app: ASGIApp, spec: EdgeSpec = EDGE) -> None:
        self._app = app
        self._spec = spec
        self._window = -1
        self._counts: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(EXEMPT_PREFIXES):
            refusal = self._count(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self._app(scope, receive, send)

    def _count(self, scope: Scope) -> JSONResponse | None:
        """One more request from this viewer, or the 429 once its window is full. No await in here: the
        read and the increment cannot interleave with another request."""
        now = CLOCK.now().timestamp()
        window = int(now // self._spec.window_seconds)
        if window != self._window:  # a new window starts every count afresh
            self._window, self._counts = window, Counter()
        viewer_address = ",".join(Headers(scope=scope).getlist(VIEWER_ADDRESS_HEADER))
        peer = scope["client"][0] if scope.get("client") else "127.0.0.1"
        viewer = counted_client(forwarded_viewer_ip(viewer_address, peer))
        if self._counts[viewer] >= self._spec.requests_per_ip:
            retry_after = math.ceil((window + 1) * self._spec.window_seconds - now)
            return JSONResponse(
                error_body(
                    "rate_limited",
                    "Too many requests from this address; try again later.",
                    {"limit": self._spec.requests_per_ip, "window_seconds": self._spec.window_seconds},
                ),
                status_code=429,
                headers={"Retry-After": str(retry_after)},
            )
        self._counts[viewer] += 1
        return None
