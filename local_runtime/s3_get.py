"""S3 presigned GETs, locally: nothing serves `https://<bucket>.s3.amazonaws.com/<key>?X-Amz-...` off AWS, so
the documents store hands out this route instead (`DOCUMENTS_DOWNLOAD_URL`, the same path and query string)
and the runtime checks the query string as S3 does before answering the object from moto (spec §11).

  GET /_local/s3/{bucket}/{key}   the presigned query string, signed for the object's S3 URL

Checked in S3's order: every query-auth parameter present, the algorithm, the credential (the local access
key, its date, region and `s3`), X-Amz-Date + X-Amz-Expires against the injectable clock, then the SigV4
signature recomputed over the canonical request of the S3 URL boto3 signed (virtual-hosted: host
`<bucket>.s3[.<region>].amazonaws.com`, path `/<key>`, signed header `host`, UNSIGNED-PAYLOAD). Refusals
answer like S3: an XML `<Error>` with S3's code, 400, 403 or 404.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote

import boto3
from botocore.exceptions import ClientError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from local_runtime.s3_signing import Refusal, signing_key
from twtc_core.clock import CLOCK

ALGORITHM = "AWS4-HMAC-SHA256"
QUERY_AUTH = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
)
MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60  # S3 refuses a presigned URL valid for longer than a week
EXPIRES = re.compile(r"-?[0-9]{1,9}")
NOT_FOUND = {
    "NoSuchKey": "The specified key does not exist.",
    "NoSuchBucket": "The specified bucket does not exist",
}


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    region: str

    @classmethod
    def local(cls) -> Credentials:
        return cls(
            os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ["AWS_REGION"]
        )


def _malformed(message: str) -> Refusal:
    return Refusal(400, "AuthorizationQueryParametersError", message)


def check_link(
    bucket: str, path: str, query: list[tuple[str, str]], now: datetime, credentials: Credentials
) -> Refusal | None:
    """None when S3 would answer GET `path` (percent-encoded, as signed) of `bucket` with this query string;
    else its refusal."""
    params = dict(query)
    if not any(name.startswith("X-Amz-") for name in params):
        return Refusal(403, "AccessDenied", "Access Denied")  # an anonymous read of a private bucket
    if any(name not in params for name in QUERY_AUTH):
        return _malformed(
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
            "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        )
    if params["X-Amz-Algorithm"] != ALGORITHM:
        return _malformed(f'X-Amz-Algorithm only supports "{ALGORITHM}"')
    refusal = _check_credential(params["X-Amz-Credential"], params["X-Amz-Date"], credentials)
    if refusal is None:
        refusal = _check_expiry(params["X-Amz-Date"], params["X-Amz-Expires"], now)
    if refusal is not None:
        return refusal
    expected = [_signature(f"{bucket}.{host}", path, query, credentials) for host in _s3_hosts(credentials)]
    given = params["X-Amz-Signature"].encode()  # bytes: compare_digest refuses non-ASCII text
    if not any(hmac.compare_digest(signature.encode(), given) for signature in expected):
        return Refusal(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        )
    return None


def _check_credential(credential: str, amz_date: str, credentials: Credentials) -> Refusal | None:
    parts = credential.split("/")
    if len(parts) != 5 or parts[3:] != ["s3", "aws4_request"]:
        return _malformed(
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; "
            'expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'
        )
    access_key, date, region = parts[:3]
    if access_key != credentials.access_key:
        return Refusal(
            403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
        )
    if region != credentials.region:
        return _malformed(
            f"Error parsing the X-Amz-Credential parameter; the region '{region}' is wrong; "
            f"expecting '{credentials.region}'"
        )
    if date != amz_date[:8]:
        return _malformed("Invalid credential date. Date is not the same as X-Amz-Date.")
    return None


def _check_expiry(amz_date: str, expires: str, now: datetime) -> Refusal | None:
    try:
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return _malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
    if not EXPIRES.fullmatch(expires):  # ASCII digits only: str.isdigit() takes '²' and '٣'
        return _malformed("X-Amz-Expires should be a number")
    seconds = int(expires)
    if expires.startswith("-"):
        return _malformed("X-Amz-Expires must be non-negative")
    if seconds > MAX_EXPIRES_SECONDS:
        return _malformed("X-Amz-Expires must be less than a week (in seconds) that's 604800 seconds")
    if now >= signed_at + timedelta(seconds=seconds):
        return Refusal(403, "AccessDenied", "Request has expired")
    return None


def _s3_hosts(credentials: Credentials) -> tuple[str, ...]:
    """The virtual-hosted S3 endpoints boto3 presigns for: the global one (us-east-1) and the regional."""
    regional = f"s3.{credentials.region}.amazonaws.com"
    return ("s3.amazonaws.com", regional) if credentials.region == "us-east-1" else (regional,)


def _signature(host: str, path: str, query: list[tuple[str, str]], credentials: Credentials) -> str:
    params = dict(query)
    canonical_query = "&".join(
        sorted(
            f"{quote(name, safe='-_.~')}={quote(value, safe='-_.~')}"
            for name, value in query
            if name != "X-Amz-Signature"
        )
    )
    canonical_request = f"GET\n{path}\n{canonical_query}\nhost:{host}\n\nhost\nUNSIGNED-PAYLOAD"
    date = params["X-Amz-Date"][:8]
    string_to_sign = "\n".join(
        [
            ALGORITHM,
            params["X-Amz-Date"],
            f"{date}/{credentials.region}/s3/aws4_request",
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = signing_key(credentials.secret_key, date, credentials.region, "s3")
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


async def download(request: Request) -> Response:
    bucket = request.path_params["bucket"]
    # The key as signed: percent-encoded, as the link carries it (Starlette's path parameter is decoded).
    path = request.scope["raw_path"].decode()[len(f"/_local/s3/{bucket}") :]
    query = parse_qsl(request.url.query, keep_blank_values=True)
    refusal = check_link(bucket, path, query, CLOCK.now(), Credentials.local())
    if refusal is not None:
        return refusal.response()
    s3 = boto3.client("s3", region_name=os.environ["AWS_REGION"])
    try:
        found = await run_in_threadpool(s3.get_object, Bucket=bucket, Key=request.path_params["key"])
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in NOT_FOUND:
            return Refusal(404, code, NOT_FOUND[code]).response()
        raise
    content = await run_in_threadpool(found["Body"].read)
    return Response(content, media_type=found["ContentType"], headers={"ETag": found["ETag"]})


ROUTES = [Route("/_local/s3/{bucket}/{key:path}", download, methods=["GET"])]
