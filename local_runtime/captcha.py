"""A stand-in for hCaptcha's siteverify, served over real HTTP by the local gateway
(`POST /_local/captcha/siteverify`), answering like hCaptcha's test mode: with the test secret, the
documented test token passes and any other token fails."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from local_runtime.resources import LOCAL_CAPTCHA_SECRET

PASSING_TOKEN = "10000000-aaaa-bbbb-cccc-000000000001"
PATH = "/_local/captcha/siteverify"


def answer(form_body: bytes) -> dict[str, Any]:
    """What hCaptcha's test mode answers to a siteverify form."""
    form = {name: values[0] for name, values in parse_qs(form_body.decode()).items()}
    if form.get("secret") != LOCAL_CAPTCHA_SECRET:
        return {"success": False, "error-codes": ["invalid-input-secret"]}
    if form.get("response") != PASSING_TOKEN:
        return {"success": False, "error-codes": ["invalid-input-response"]}
    return {"success": True, "hostname": "dummy-key-pass", "credit": False}


async def siteverify(request: Request) -> Response:
    return JSONResponse(answer(await request.body()))


ROUTES = [Route(PATH, siteverify, methods=["POST"])]
