"""CAPTCHA API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.captcha import logic
from functions.captcha.models import CaptchaIn, CaptchaOut
from twtc_core.api import build_resolver, caller_id, documented, session_gate
from twtc_core.captcha import Siteverify
from twtc_core.edge import request_origin
from twtc_core.fraud.trust import trust_services
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import SecurityStore
from twtc_core.settings import BaseFunctionSettings


class CaptchaSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    captcha_secret_id: str
    captcha_siteverify_url: str
    fraud_cooldown_seconds: int


settings = CaptchaSettings()
services = logic.CaptchaServices(
    siteverify=Siteverify(settings.captcha_siteverify_url, settings.captcha_secret_id),
    trust=trust_services(
        settings.user_pool_id,
        settings.user_pool_client_id,
        settings.aws_region,
        settings.fraud_cooldown_seconds,
        session_gate(),
    ),
    security=SecurityStore(),
)
app = build_resolver()


@app.post(
    "/v1/captcha/verify",
    summary="Solve the CAPTCHA alert level 3 requires",
    responses=documented(
        CaptchaOut, HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS
    ),
)
def verify(request: CaptchaIn) -> CaptchaOut:
    return logic.verify(services, caller_id(app), request.token, request_origin(app))


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
