"""The local gateway (one Starlette app): the HTTP API, the WebSocket API and its management endpoint,
OpenAPI + Swagger UI, AsyncAPI (`/asyncapi.json`), and the local-only controls under `/_local` (never part
of a deployed stack). In front of it all, the access log and the WAF's per-IP limit (`local_runtime.edge`).

  GET/POST /_local/clock                {"advance_seconds": N} (0 <= N <= 366 days) moves the clock; due
                                        schedules run at once, held SQS retries are released
  GET      /_local/schedules            every schedule, its next due time and last run
  POST     /_local/schedules/{name}     run one now
  GET      /_local/outbox[?to=]         codes, emails, SMS and pushes "sent"
  POST     /_local/streams/{function}/drain  run the function over every new record of its stream
  POST     /_local/captcha/siteverify   hCaptcha's siteverify in test mode (local_runtime/captcha.py)
  POST     /_local/queues/{name}/drain  process the queue until nothing is left to deliver, moving the
                                        clock past each visibility timeout a failed message waits for
  POST     /_local/twilio/calls[/{sid}/answer|hangup]  the Twilio simulator (local_runtime/twilio.py)
  POST     /_local/s3/{bucket}          S3 presigned POST uploads, the policy enforced (local_runtime.s3_post)
  GET      /_local/s3/{bucket}/{key}    S3 presigned GETs, the query signature checked (local_runtime.s3_get)
  ...      /_local/kyc-provider/..., /_local/kyc/{kyc_id}/decide   the fake KYC provider
                                        (local_runtime.kyc_provider)
  GET      /_local/admob/verifier-keys  the local AdMob key server (ADMOB_VERIFIER_KEYS_URL points here)
  POST     /_local/admob/rewards        {"impression_id"}: AdMob's signed callback for it, sent to us
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute

from local_runtime import admin_console, captcha
from local_runtime.admob import admob_routes
from local_runtime.asyncapi import asyncapi_document
from local_runtime.console import AccessLog
from local_runtime.edge import ViewerRateLimit
from local_runtime.http_api import HttpApi, error_body
from local_runtime.openapi import SWAGGER_ASSETS, merged_document, swagger_page
from local_runtime.outbox import OUTBOX
from local_runtime.s3_get import ROUTES as S3_GET_ROUTES
from local_runtime.s3_post import ROUTES as S3_POST_ROUTES
from local_runtime.websocket_api import WebSocketApi
from twtc_core.clock import CLOCK, iso

if TYPE_CHECKING:
    from local_runtime.platform import LocalPlatform


MAX_ADVANCE_SECONDS = 366 * 24 * 60 * 60
SWAGGER_FILES = {"swagger-ui.css": "swagger-ui.min.css", "swagger-ui-bundle.js": "swagger-ui-bundle.min.js"}


def _not_found(what: str) -> JSONResponse:
    return JSONResponse(error_body("not_found", f"No such {what}."), status_code=404)


def _invalid(message: str) -> JSONResponse:
    return JSONResponse(error_body("validation_failed", message), status_code=422)


def _malformed(message: str) -> JSONResponse:
    return JSONResponse(error_body("malformed_request", message), status_code=400)


async def no_such_route(_: Request, __: Exception) -> Response:
    return _not_found("route")


def build_app(platform: LocalPlatform, http_api: HttpApi, websocket_api: WebSocketApi) -> Starlette:
    document: dict[str, Any] = merged_document(http_api.routes)

    async def clock(request: Request) -> Response:
        ran: list[str] = []
        if request.method == "POST":
            try:
                payload = json.loads(await request.body())
            except ValueError:
                return _malformed('The body must be JSON: {"advance_seconds": N}.')
            seconds = payload.get("advance_seconds") if isinstance(payload, dict) else None
            if (
                not isinstance(seconds, int | float)
                or isinstance(seconds, bool)
                or not 0 <= seconds <= MAX_ADVANCE_SECONDS  # also refuses NaN
            ):
                return _invalid(f'Send {{"advance_seconds": N}} with 0 <= N <= {MAX_ADVANCE_SECONDS}.')
            ran = await run_in_threadpool(platform.scheduler.advance, seconds)
        return JSONResponse({"now": iso(CLOCK.now()), "ran": ran})

    async def schedules(_: Request) -> Response:
        return JSONResponse({"items": platform.scheduler.describe()})

    async def run_schedule(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in platform.scheduler.names():
            return _not_found("schedule")
        return JSONResponse(await run_in_threadpool(platform.scheduler.run_now, name))

    async def outbox(request: Request) -> Response:
        return JSONResponse({"items": OUTBOX.messages(to=request.query_params.get("to"))})

    async def drain(request: Request) -> Response:
        poller = platform.pollers.get(request.path_params["name"])
        if poller is None:
            return _not_found("queue consumer")
        return JSONResponse(asdict(await run_in_threadpool(poller.drain, platform.scheduler.advance)))

    async def drain_stream(request: Request) -> Response:
        stream = platform.streams.get(request.path_params["name"])
        if stream is None:
            return _not_found("stream consumer")
        return JSONResponse(asdict(await run_in_threadpool(stream.drain)))

    async def openapi(_: Request) -> Response:
        return JSONResponse(document)

    async def asyncapi(request: Request) -> Response:
        return JSONResponse(asyncapi_document(request.url.netloc))

    async def docs(_: Request) -> Response:
        return HTMLResponse(swagger_page("/openapi.json"))

    async def swagger_asset(request: Request) -> Response:
        asset = SWAGGER_FILES.get(request.path_params["asset"])
        return FileResponse(SWAGGER_ASSETS / asset) if asset else _not_found("asset")

    async def root(_: Request) -> Response:
        return RedirectResponse("/docs")

    every_method = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
    return Starlette(
        routes=[
            Route("/", root),
            Route("/openapi.json", openapi),
            Route("/asyncapi.json", asyncapi),
            Route("/docs", docs),
            Route("/docs/", docs),
            Route("/docs/{asset}", swagger_asset),
            Route("/_local/clock", clock, methods=["GET", "POST"]),
            Route("/_local/schedules", schedules),
            Route("/_local/schedules/{name}", run_schedule, methods=["POST"]),
            Route("/_local/outbox", outbox),
            Route("/_local/queues/{name}/drain", drain, methods=["POST"]),
            Route("/_local/streams/{name}/drain", drain_stream, methods=["POST"]),
            *captcha.ROUTES,
            *(platform.twilio.routes() if platform.twilio else []),
            *(platform.kyc_provider.routes() if platform.kyc_provider else ()),
            *S3_POST_ROUTES,
            *S3_GET_ROUTES,
            *admin_console.ROUTES,
            *admob_routes(platform.admob, platform.url),
            Route("/@connections/{connection_id}", websocket_api.manage, methods=["GET", "POST", "DELETE"]),
            WebSocketRoute("/ws", websocket_api.serve),
            Route("/{path:path}", http_api.handle, methods=every_method),
        ],
        middleware=[Middleware(AccessLog), Middleware(ViewerRateLimit)],
        lifespan=platform.background,
        # A method no route has (TRACE, CONNECT, ...) is API Gateway's "no such route", not a bare 405.
        exception_handlers={405: no_such_route},
    )
