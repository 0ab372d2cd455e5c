"""The HTTP API, locally: route a request like API Gateway (`METHOD /path/{param}`), run the JWT authorizer
on authorized routes, invoke the function with a payload 2.0 event, and turn its result into a response.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from infra_cdk.wiring import EDGE
from local_runtime.authorizer import JwtAuthorizer, Unauthorized
from local_runtime.console import USER_ID_STATE
from local_runtime.events import http_api_event
from local_runtime.lambdas import LocalFunction
from local_runtime.resources import LOCAL_ORIGIN_SECRET
from twtc_core.edge import ORIGIN_SECRET_HEADER


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


class PayloadTooLarge(Exception):
    """The body is over API Gateway's limit; API Gateway answers 413 without invoking the function."""


async def bounded_body(request: Request, max_bytes: int) -> bytes:
    """The body, read no further than `max_bytes` (a declared or streamed larger body is refused)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise PayloadTooLarge
    return bytes(body)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    authorized: bool
    function: LocalFunction
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, method: str, path: str, authorized: bool, function: LocalFunction) -> Route:
        regex = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", re.escape(path))
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)
        return cls(method.upper(), path, authorized, function, re.compile(f"^{regex}$"))

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def specificity(self) -> tuple[int, int]:
        """API Gateway prefers literal paths, then fewer variables, greedy variables last."""
        return (self.path.count("+}"), self.path.count("{"))


class HttpApi:
    def __init__(self, routes: list[Route], authorizer: JwtAuthorizer) -> None:
        self.routes = sorted(routes, key=lambda route: route.specificity)
        self._authorizer = authorizer

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            found = route.pattern.match(path)
            if found and route.method in (method, "ANY"):
                return route, found.groupdict()
        return None

    async def handle(self, request: Request) -> Response:
        matched = self.match(request.method, request.url.path)
        if matched is None:
            return JSONResponse(error_body("not_found", "No such route."), status_code=404)
        route, path_parameters = matched
        try:
            body = await bounded_body(request, EDGE.max_body_bytes)
        except PayloadTooLarge:
            details = {"max_bytes": EDGE.max_body_bytes}
            message = "The body is larger than the API accepts."
            return JSONResponse(error_body("payload_too_large", message, details), status_code=413)
        claims = None
        if route.authorized:
            try:
                claims = self._authorizer.claims(request.headers.get("authorization"))
            except Unauthorized as error:
                return JSONResponse(error_body("unauthorized", str(error)), status_code=401)
            setattr(request.state, USER_ID_STATE, claims.get("sub"))
        event = http_api_event(
            method=request.method,
            path=request.url.path,
            route_key=route.key,
            raw_query=request.url.query,
            headers=as_forwarded_by_cloudfront(request.headers.raw),
            body=body,
            source_ip=request.client.host if request.client else "127.0.0.1",
            path_parameters=path_parameters,
            claims=claims,
        )
        result = await run_in_threadpool(route.function.invoke, event)
        return to_response(result)


def as_forwarded_by_cloudfront(raw_headers: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """The headers as CloudFront forwards them: the viewer's own (CloudFront-Viewer-* pass through, spec
    §9), plus the origin secret, which a client can never supply itself."""
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in raw_headers
        if name.lower() != ORIGIN_SECRET_HEADER.encode()
    ]
    return [*headers, (ORIGIN_SECRET_HEADER, LOCAL_ORIGIN_SECRET)]


def to_response(result: Any) -> Response:
    """Payload 2.0 response rules: a dict with `statusCode` is a full response, anything else is a JSON
    200 body."""
    if not isinstance(result, dict) or "statusCode" not in result:
        return JSONResponse(result)
    body = result.get("body") or ""
    content = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    headers = dict(result.get("headers") or {})
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name] = ",".join(values)
    response = Response(content, status_code=int(result["statusCode"]), headers=headers)
    for cookie in result.get("cookies") or []:
        response.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))
    return response
