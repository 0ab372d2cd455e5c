"""CAPTCHA rules: a token the provider rejects changes nothing (403 `captcha_failed`); one it accepts lifts
level 3 (docs/fraud.md), recorded in the trust history and the activity log."""

from __future__ import annotations

from dataclasses import dataclass

from functions.captcha.models import CaptchaOut
from twtc_core.captcha import Siteverify
from twtc_core.errors import Forbidden
from twtc_core.fraud.trust import TrustServices, after_captcha, reassess
from twtc_core.security import RequestOrigin, SecurityStore


class CaptchaFailed(Forbidden):
    code = "captcha_failed"


@dataclass(frozen=True)
class CaptchaServices:
    siteverify: Siteverify
    trust: TrustServices
    security: SecurityStore


def verify(services: CaptchaServices, user_id: str, token: str, origin: RequestOrigin) -> CaptchaOut:
    if not services.siteverify.passed(token, origin.ip):
        raise CaptchaFailed("The CAPTCHA was not solved; try again.")
    state = reassess(services.trust, user_id, after_captcha)
    services.security.log_activity(user_id, "captcha_passed", origin)
    return CaptchaOut(alert_level=int(state.level), captcha_required=state.captcha_required)
