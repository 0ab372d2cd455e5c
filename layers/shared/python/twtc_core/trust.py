"""The earning gate (spec §9 alert levels): a Powertools route middleware the earning routes opt into —
`@app.post("/v1/mining/sessions", middlewares=[earning_gate])`. Level 2 refuses earning until the cooldown
ends (429 `cooldown`, `Retry-After`), level 3 until a CAPTCHA is solved (403 `captcha_required`); level 4
never gets here (the session middleware refuses every route). It reads the trust flags the session
middleware already fetched for this request: no AWS call of its own."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from twtc_core import errors
from twtc_core.accounts.sessions import TrustFlags
from twtc_core.api import caller_id, session_gate
from twtc_core.clock import utc_now


class CooldownActive(errors.RateLimited):
    code = "cooldown"


class CaptchaRequired(errors.Forbidden):
    code = "captcha_required"


# What an earning route documents besides its own answers: `responses=documented(..., *EARNING_REFUSALS)`.
EARNING_REFUSALS = (CooldownActive, CaptchaRequired)


def refuse_earning(flags: TrustFlags, now_epoch: int) -> None:
    if flags.captcha_required:
        raise CaptchaRequired("Solve the CAPTCHA (POST /v1/captcha/verify) to earn again.")
    if flags.cooldown_until > now_epoch:
        raise CooldownActive("Earning is paused for a while.", flags.cooldown_until - now_epoch)


def earning_gate(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
    refuse_earning(session_gate().trust_of(caller_id(app)), int(utc_now().timestamp()))
    return next_middleware(app)
