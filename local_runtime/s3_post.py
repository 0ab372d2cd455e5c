"""S3 presigned POST uploads, locally: moto accepts any form, so the runtime serves the upload URL itself
and enforces the POST policy as S3 does before storing the object in moto (spec §11).

  POST /_local/s3/{bucket}   multipart form: the presigned fields, then `file`

Checked in S3's order: the form's fields, the SigV4 signature of the policy (the local credentials), the
policy's expiry (on the injectable clock), every condition (exact fields, prefixes, content-length-range),
and that no field goes unchecked. Refusals answer like S3: an XML `<Error>` with S3's code, 403 or 400.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from local_runtime.s3_signing import Refusal, signing_key
from twtc_core.clock import CLOCK

REQUIRED_FIELDS = ("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature")
UNCHECKED_FIELDS = frozenset({"policy", "x-amz-signature", "file"})  # S3 never requires conditions on these
MAX_FORM_BYTES = 20 * 1024 * 1024  # S3 takes 5 GB; the local runtime reads at most this much


def _denied(message: str) -> Refusal:
    return Refusal(403, "AccessDenied", message)


def check_form(
    bucket: str, fields: dict[str, str], size: int, now: datetime, secret_key: str
) -> Refusal | None:
    """None when S3 would accept the upload; else its refusal."""
    lowered = {name.lower(): value for name, value in fields.items()}
    policy = _signed_policy(lowered, secret_key)
    if isinstance(policy, Refusal):
        return policy
    if now >= policy.expiration:
        return _denied("Invalid according to Policy: Policy expired.")
    checked: set[str] = set()
    for condition in policy.conditions:
        refusal = _check(condition, {**lowered, "bucket": bucket}, size, checked)
        if refusal is not None:
            return refusal
    extra = sorted(name for name in lowered if name not in checked | UNCHECKED_FIELDS)
    if extra and not all(name.startswith("x-ignore-") for name in extra):
        return _denied(f"Invalid according to Policy: Extra input fields: {extra[0]}")
    return None


@dataclass(frozen=True)
class Policy:
    expiration: datetime
    conditions: list[Any]


def _signed_policy(fields: dict[str, str], secret_key: str) -> Policy | Refusal:
    """The policy, if the form has every field S3 requires and signs the policy with the key."""
    missing = [name for name in REQUIRED_FIELDS if name not in fields]
    if missing:
        return Refusal(400, "InvalidArgument", f"Bucket POST must contain a field named '{missing[0]}'.")
    date, region, service = [*fields["x-amz-credential"].split("/"), "", "", ""][1:4]
    expected = hmac.new(
        signing_key(secret_key, date, region, service), fields["policy"].encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, fields["x-amz-signature"]):
        return _denied("The request signature we calculated does not match the signature you provided.")
    try:
        document = json.loads(base64.b64decode(fields["policy"], validate=True))
        expiration = datetime.fromisoformat(document["expiration"].replace("Z", "+00:00"))
        return Policy(expiration, list(document["conditions"]))
    except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
        return Refusal(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")


def _check(condition: Any, fields: dict[str, str], size: int, checked: set[str]) -> Refusal | None:
    failed = _denied(f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")
    if isinstance(condition, dict):
        ((name, value),) = condition.items()
        checked.add(name.lower())
        return None if fields.get(name.lower()) == value else failed
    operator, *arguments = condition
    if operator == "content-length-range":
        low, high = arguments
        if size > high:
            return Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
        return (
            Refusal(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            if size < low
            else None
        )
    name, value = arguments[0].lstrip("$").lower(), arguments[1]
    checked.add(name)
    actual = fields.get(name, "")
    matches = actual == value if operator == "eq" else actual.startswith(value)
    return None if matches else failed


async def upload(request: Request) -> Response:
    bucket = request.path_params["bucket"]
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        return Refusal(
            400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
        ).response()
    form = await request.form()
    document = form.get("file")
    if not isinstance(document, UploadFile):
        return Refusal(
            400, "InvalidArgument", "POST requires exactly one file upload per request."
        ).response()
    content = await document.read()
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    refusal = check_form(bucket, fields, len(content), CLOCK.now(), os.environ["AWS_SECRET_ACCESS_KEY"])
    if refusal is not None:
        return refusal.response()
    put = {"Bucket": bucket, "Key": fields["key"], "Body": content}
    if "Content-Type" in fields:
        put["ContentType"] = fields["Content-Type"]
    await run_in_threadpool(boto3.client("s3", region_name=os.environ["AWS_REGION"]).put_object, **put)
    return Response(status_code=204)


ROUTES = [Route("/_local/s3/{bucket}", upload, methods=["POST"])]
