"""The local console: an access-log line per request, and the functions' logs readable (tracebacks over
several lines) where deployed functions write JSON."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re

import httpx
from aws_lambda_powertools import Logger
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local_runtime.console import USER_ID_STATE, AccessLog, use_readable_logs


async def mine(request: Request) -> Response:
    setattr(request.state, USER_ID_STATE, "3f1c7a52")  # as the gateway does once the authorizer passed
    return JSONResponse({"mine": True})


async def public(_: Request) -> Response:
    return JSONResponse({"error": "nope"}, status_code=409)


def test_each_request_leaves_one_line_with_method_path_status_time_and_the_known_user() -> None:
    lines: list[str] = []
    app = AccessLog(
        Starlette(routes=[Route("/mine", mine), Route("/public", public, methods=["POST"])]), lines.append
    )

    async def requests() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://local") as client:
            await client.get("/mine", params={"cursor": "opaque"})
            await client.post("/public")

    asyncio.run(requests())
    assert len(lines) == 2
    assert re.fullmatch(r"GET /mine 200 \d+ ms user=3f1c7a52", lines[0]), lines[0]
    assert re.fullmatch(r"POST /public 409 \d+ ms", lines[1]), lines[1]


def test_function_logs_turn_from_json_into_lines_with_the_traceback_as_python_prints_it() -> None:
    # Given a Powertools logger as the functions have one (JSON lines, the deployed format)
    stream = io.StringIO()
    logger = Logger(service="console-test", logger_handler=logging.StreamHandler(stream))
    logger.info("deployed", extra={"user_id": "u-1"})
    assert json.loads(stream.getvalue())["message"] == "deployed"
    stream.truncate(0)
    stream.seek(0)

    # When the local runtime makes it readable and a function logs an unexpected error
    use_readable_logs(logger)
    try:
        {}["missing"]
    except KeyError:
        logger.exception("unhandled error", extra={"handler_module": "functions.wallet.handler"})

    # Then the line says what happened, and the traceback follows over several lines
    first, *traceback = stream.getvalue().rstrip("\n").split("\n")
    assert first == "ERROR   unhandled error handler_module=functions.wallet.handler"
    assert traceback[0] == "Traceback (most recent call last):"
    assert traceback[-1] == "KeyError: 'missing'"
