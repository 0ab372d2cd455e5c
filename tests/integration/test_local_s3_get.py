"""The local runtime's presigned GET route (local_runtime.s3_get) over moto: the reviewer's document link
answers the uploaded object, and nothing else."""

from __future__ import annotations

import os
import re

import httpx
import pytest
from starlette.applications import Starlette

from local_runtime.s3_get import ROUTES
from tests.support import asgi
from tests.support.kyc import PNG, put_document
from twtc_core.clock import Clock
from twtc_core.kyc.documents import DocumentSettings, DocumentStore


class Gateway:
    """The route in a Starlette app, called in process as a browser would follow the link."""

    def __init__(self) -> None:
        self._app = Starlette(routes=ROUTES)

    def get(self, url: str) -> httpx.Response:
        return asgi.get(self._app, url)


@pytest.fixture
def gateway(aws: dict[str, str]) -> Gateway:
    return Gateway()


def link_to(key: str) -> str:
    bucket_url = f"http://gateway.test/_local/s3/{os.environ['DOCUMENTS_BUCKET_NAME']}"
    return DocumentStore(DocumentSettings(documents_download_url=bucket_url)).download_url(key, 300)


def s3_error(response: httpx.Response) -> tuple[int, str]:
    found = re.search("<Code>(.*)</Code>", response.text)
    return response.status_code, found.group(1) if found else ""


def test_a_document_link_answers_the_object_until_it_expires(gateway: Gateway, clock: Clock) -> None:
    # Given Asha's uploaded document and another user's
    key, other_key = put_document("asha"), put_document("bala")
    link = link_to(key)
    # When the reviewer follows the link, the document is answered as uploaded
    answer = gateway.get(link)
    assert (answer.status_code, answer.headers["content-type"], answer.content) == (200, "image/png", PNG)
    # Then the link opens no other key, and a changed signature opens nothing
    assert s3_error(gateway.get(link.replace(key, other_key))) == (403, "SignatureDoesNotMatch")
    assert s3_error(
        gateway.get(re.sub("X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=" + "0" * 64, link))
    ) == (
        403,
        "SignatureDoesNotMatch",
    )
    # And 5 minutes later on the platform's clock it has expired
    clock.advance(300)
    expired = gateway.get(link)
    assert s3_error(expired) == (403, "AccessDenied") and "Request has expired" in expired.text


def test_a_link_to_a_key_never_uploaded_is_no_such_key(gateway: Gateway) -> None:
    assert s3_error(gateway.get(link_to("kyc/asha/never-uploaded"))) == (404, "NoSuchKey")
