"""The CAPTCHA provider (hCaptcha's siteverify API): the only code that talks to it. `httpx` is imported
here, so only functions with the `http` dependency layer may use this module."""

from __future__ import annotations

from functools import cached_property

import httpx
from aws_lambda_powertools.utilities import parameters

from twtc_core import errors

TIMEOUT_SECONDS = 5.0


class CaptchaUnavailable(errors.RateLimited):
    code = "captcha_unavailable"


class Siteverify:
    def __init__(self, url: str, secret_id: str, client: httpx.Client | None = None) -> None:
        self._url = url
        self._secret_id = secret_id
        self._client = client or httpx.Client(timeout=TIMEOUT_SECONDS)

    @cached_property
    def _secret(self) -> str:
        """Read once per container (Powertools also caches it)."""
        return str(parameters.get_secret(self._secret_id))

    def passed(self, token: str, remote_ip: str | None) -> bool:
        """Whether the provider accepts the token (a solved CAPTCHA, not used before). A provider that does
        not answer is the client's signal to retry, never a pass."""
        form = {"secret": self._secret, "response": token, **({"remoteip": remote_ip} if remote_ip else {})}
        try:
            response = self._client.post(self._url, data=form)
            response.raise_for_status()
            return response.json().get("success") is True
        except (httpx.HTTPError, ValueError) as error:
            raise CaptchaUnavailable("The CAPTCHA check is unavailable; try again.", 5) from error
