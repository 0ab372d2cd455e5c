"""The local runtime's presigned GET check (local_runtime.s3_get) against links boto3 signs for the documents
store: S3 accepts the link as signed, until it expires on the platform's clock, and refuses any change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from local_runtime.s3_get import Credentials, check_link
from twtc_core.clock import Clock
from twtc_core.kyc.documents import DocumentSettings, DocumentStore

CREDENTIALS = Credentials("testing", "testing", "us-east-1")  # the local runtime's (tests/conftest.py)
BUCKET, KEY = "twtc-documents-test", "kyc/u1/pan front+1.png"
LOCAL_BUCKET_URL = f"http://gateway.test/_local/s3/{BUCKET}"

Link = tuple[str, list[tuple[str, str]]]  # the percent-encoded path as signed, the query string


def store(download_url: str = "") -> DocumentStore:
    return DocumentStore(DocumentSettings(documents_bucket_name=BUCKET, documents_download_url=download_url))


@pytest.fixture
def link(clock: Clock) -> Link:
    url = urlsplit(store(LOCAL_BUCKET_URL).download_url(KEY, 300))
    return url.path.removeprefix(urlsplit(LOCAL_BUCKET_URL).path), parse_qsl(url.query)


def changed(query: list[tuple[str, str]], name: str, value: str | None) -> list[tuple[str, str]]:
    """The query with one parameter set to `value`, or left out when None."""
    if value is None:
        return [(key, old) for key, old in query if key != name]
    return [(key, value if key == name else old) for key, old in query]


def test_in_aws_the_link_is_s3s_and_locally_the_gateways_dated_by_the_platform_clock(clock: Clock) -> None:
    # Given the platform's clock far from the system's (the test clock is frozen on 2026-11-25 09:00)
    clock.advance(3 * 24 * 3600)
    # Then both links are dated by it, and only the origin differs
    s3_link, local_link = store().download_url(KEY, 300), store(LOCAL_BUCKET_URL).download_url(KEY, 300)
    assert s3_link.startswith(f"https://{BUCKET}.s3.amazonaws.com/kyc/u1/pan%20front%2B1.png?")
    assert "X-Amz-Date=20261128T090000Z" in s3_link and "X-Amz-Expires=300" in s3_link
    assert local_link == s3_link.replace(f"https://{BUCKET}.s3.amazonaws.com", LOCAL_BUCKET_URL)


Change = Callable[[str, list[tuple[str, str]]], Link]

REFUSALS: list[tuple[str, Change, tuple[int, str] | None]] = [
    ("as signed", lambda path, query: (path, query), None),
    (
        "another key",
        lambda path, query: ("/kyc/u2/pan%20front%2B1.png", query),
        (403, "SignatureDoesNotMatch"),
    ),
    (
        "another signature",
        lambda path, query: (path, changed(query, "X-Amz-Signature", "0" * 64)),
        (403, "SignatureDoesNotMatch"),
    ),
    (
        "a longer life",
        lambda path, query: (path, changed(query, "X-Amz-Expires", "3600")),
        (403, "SignatureDoesNotMatch"),
    ),
    ("no signature at all", lambda path, query: (path, []), (403, "AccessDenied")),
    (
        "no X-Amz-Signature",
        lambda path, query: (path, changed(query, "X-Amz-Signature", None)),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "another algorithm",
        lambda path, query: (path, changed(query, "X-Amz-Algorithm", "AWS4-HMAC-SHA1")),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "another access key",
        lambda path, query: (
            path,
            changed(query, "X-Amz-Credential", "AKID/20261125/us-east-1/s3/aws4_request"),
        ),
        (403, "InvalidAccessKeyId"),
    ),
    (
        "another region",
        lambda path, query: (
            path,
            changed(query, "X-Amz-Credential", "testing/20261125/eu-west-1/s3/aws4_request"),
        ),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "more than a week",
        lambda path, query: (path, changed(query, "X-Amz-Expires", "604801")),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "a signature that is not ASCII",
        lambda path, query: (path, changed(query, "X-Amz-Signature", "é" * 64)),
        (403, "SignatureDoesNotMatch"),
    ),
    (
        "a superscript digit for the life",
        lambda path, query: (path, changed(query, "X-Amz-Expires", "²")),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "an Arabic-Indic digit for the life",
        lambda path, query: (path, changed(query, "X-Amz-Expires", "٣")),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "a life of 5,000 digits",
        lambda path, query: (path, changed(query, "X-Amz-Expires", "9" * 5000)),
        (400, "AuthorizationQueryParametersError"),
    ),
    (
        "a date that is not ISO 8601",
        lambda path, query: (path, changed(query, "X-Amz-Date", "2026-11-25T09:00:00Z")),
        (400, "AuthorizationQueryParametersError"),
    ),
]


@pytest.mark.parametrize(
    ("change", "refusal"), [case[1:] for case in REFUSALS], ids=[case[0] for case in REFUSALS]
)
def test_the_local_download_url_checks_the_presigned_query_like_s3(
    link: Link, clock: Clock, change: Change, refusal: tuple[int, str] | None
) -> None:
    result = check_link(BUCKET, *change(*link), clock.now(), CREDENTIALS)
    assert (None if result is None else (result.status, result.code)) == refusal


def test_the_link_lasts_its_seconds_on_the_platform_clock(link: Link, clock: Clock) -> None:
    signed_at: datetime = clock.now()
    assert check_link(BUCKET, *link, signed_at + timedelta(seconds=299), CREDENTIALS) is None
    expired = check_link(BUCKET, *link, signed_at + timedelta(seconds=300), CREDENTIALS)
    assert expired is not None and (expired.status, expired.code, expired.message) == (
        403,
        "AccessDenied",
        "Request has expired",
    )
