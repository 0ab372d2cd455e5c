"""What the local S3 emulations (`local_runtime.s3_post`, `local_runtime.s3_get`) share: SigV4's signing key
and S3's XML `<Error>` answer."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from xml.sax.saxutils import escape

from starlette.responses import Response


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str

    def response(self) -> Response:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>"
            "<RequestId>LOCAL</RequestId><HostId>local</HostId></Error>"
        )
        return Response(body, status_code=self.status, media_type="application/xml")


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret_key}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key
