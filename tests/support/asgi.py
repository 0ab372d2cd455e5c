"""Calling an ASGI app (a local runtime route) in process, as an HTTP client would, without a server."""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import ASGIApp


def get(app: ASGIApp, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://local.test") as client:
            return await client.get(url, headers=headers)

    return asyncio.run(call())
