"""The local WAF (`local_runtime.edge.ViewerRateLimit`): who counts as one viewer, and what is exempt."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from infra_cdk.wiring import EdgeSpec
from local_runtime.edge import ViewerRateLimit
from tests.support import asgi

TWO_A_MINUTE = EdgeSpec(requests_per_ip=2, window_seconds=60)


async def ok(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def gateway() -> ViewerRateLimit:
    return ViewerRateLimit(Starlette(routes=[Route("/{path:path}", ok)]), TWO_A_MINUTE)


def get(app: ViewerRateLimit, path: str, viewer: str) -> httpx.Response:
    return asgi.get(app, path, headers={"CloudFront-Viewer-Address": viewer})


def statuses(app: ViewerRateLimit, path: str, viewers: list[str]) -> list[int]:
    return [get(app, path, viewer).status_code for viewer in viewers]


def test_ipv6_viewers_in_one_64_are_one_client(clock: object) -> None:
    app = gateway()
    same_64 = ["[2001:db8:1:2::1]:443", "2001:db8:1:2:ffff::9:443", "2001:db8:1:2::3:443"]
    assert statuses(app, "/v1/x", same_64) == [200, 200, 429]
    assert statuses(app, "/v1/x", ["2001:db8:1:3::1:443"]) == [200]


def test_local_controls_and_the_management_endpoint_are_exempt(clock: object) -> None:
    app = gateway()
    viewer = ["198.51.100.9:443"] * 3
    assert statuses(app, "/_local/outbox", viewer) == [200, 200, 200]
    assert statuses(app, "/@connections/abc", viewer) == [200, 200, 200]
    assert statuses(app, "/openapi.json", viewer) == [200, 200, 429]


def test_a_new_window_on_the_local_clock_serves_the_viewer_again(clock: object) -> None:
    app = gateway()
    viewer = ["198.51.100.9:443"] * 3
    assert statuses(app, "/v1/x", viewer) == [200, 200, 429]
    refused = get(app, "/v1/x", viewer[0])
    clock.advance(int(refused.headers["Retry-After"]))  # type: ignore[attr-defined]
    assert statuses(app, "/v1/x", viewer[:1]) == [200]
