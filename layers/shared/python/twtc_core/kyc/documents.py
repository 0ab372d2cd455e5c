"""KYC documents in S3 (the only code touching the documents bucket): presigned POST forms for uploads under
`kyc/<user_id>/`, existence checks, short-lived presigned GETs for reviewers, and the tag that lets the
bucket's lifecycle rule expire a rejected document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.auth import AUTH_TYPE_MAPS, SIGV4_TIMESTAMP, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import ClientError
from pydantic_settings import BaseSettings, SettingsConfigDict

from twtc_core.clock import utc_now

# The object tag the bucket's lifecycle rule expires (infra_cdk/constructs/documents.py).
REJECTED_TAG = {"Key": "kyc", "Value": "rejected"}
NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


class DocumentSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True)

    documents_bucket_name: str
    # Local runtime only: where it serves (and enforces) presigned POST forms, since moto does not.
    documents_upload_url: str = ""
    # Local runtime only: where it serves (and checks) presigned GETs, the S3 URL's path and query kept.
    documents_download_url: str = ""
    aws_region: str = "us-east-1"


class PlatformClockQueryAuth(S3SigV4QueryAuth):
    """botocore dates a presigned URL by the system clock; this dates it by the platform's (the same in AWS),
    so a link made on the moved local clock, or in a test, lasts exactly its `ExpiresIn` on that clock."""

    def _modify_request_before_signing(self, request: AWSRequest) -> None:
        request.context["timestamp"] = utc_now().strftime(SIGV4_TIMESTAMP)
        super()._modify_request_before_signing(request)  # type: ignore[misc]  # botocore's, not in the stubs


PRESIGN_ON_PLATFORM_CLOCK = "s3v4-platform-clock-query"
AUTH_TYPE_MAPS[PRESIGN_ON_PLATFORM_CLOCK] = PlatformClockQueryAuth


def _presign_on_platform_clock(signature_version: str, **_: Any) -> str | None:
    return PRESIGN_ON_PLATFORM_CLOCK if signature_version.endswith("-query") else None


def user_prefix(user_id: str) -> str:
    return f"kyc/{user_id}/"


@dataclass(frozen=True)
class UploadForm:
    url: str
    fields: dict[str, str]


class DocumentStore:
    def __init__(self, settings: DocumentSettings | None = None) -> None:
        self._settings = settings or DocumentSettings()

    @cached_property
    def _s3(self) -> Any:
        # SigV4: S3 requires it for objects under a KMS key, and the POST policy is signed with it.
        client = boto3.client(
            "s3", region_name=self._settings.aws_region, config=Config(signature_version="s3v4")
        )
        # The stubs say handlers return None; a choose-signer handler answers the signature version.
        client.meta.events.register("choose-signer.s3.GetObject", _presign_on_platform_clock)  # type: ignore[arg-type]
        return client

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_at: datetime) -> UploadForm:
        """A POST form for exactly this key, content type and at most `max_bytes`, valid until `expires_at`
        (the platform's clock)."""
        # botocore dates the policy from the system clock; this makes it end at `expires_at` on the
        # platform's clock: the same in AWS, where the two agree, and the moved clock locally and in tests.
        expires_in = round((expires_at - datetime.now(UTC)).total_seconds())
        form = self._s3.generate_presigned_post(
            Bucket=self._settings.documents_bucket_name,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        )
        return UploadForm(url=self._settings.documents_upload_url or form["url"], fields=form["fields"])

    def erase_all_of(self, user_id: str) -> None:
        """Every version and delete marker under the user's prefix: the bucket is versioned, so a plain
        delete would only hide the documents. Running it again finds nothing and does nothing."""
        bucket = self._settings.documents_bucket_name
        pages = self._s3.get_paginator("list_object_versions").paginate(
            Bucket=bucket, Prefix=user_prefix(user_id)
        )
        for page in pages:
            versions = [
                {"Key": version["Key"], "VersionId": version["VersionId"]}
                for version in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            ]
            if versions:  # a page holds at most 1,000: the most one DeleteObjects takes
                self._s3.delete_objects(Bucket=bucket, Delete={"Objects": versions, "Quiet": True})

    def exists(self, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=self._settings.documents_bucket_name, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in NOT_FOUND_CODES:
                return False
            raise
        return True

    def download_url(self, key: str, expires_in: int) -> str:
        """A GET of the key valid for `expires_in` seconds from now on the platform's clock."""
        url = str(
            self._s3.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._settings.documents_bucket_name, "Key": key},
                ExpiresIn=expires_in,
            )
        )
        if not self._settings.documents_download_url:
            return url
        # Only the virtual-hosted origin changes: the path and query string stay as signed.
        signed = urlsplit(url)
        return f"{self._settings.documents_download_url}{signed.path}?{signed.query}"

    def mark_rejected(self, key: str) -> None:
        self._s3.put_object_tagging(
            Bucket=self._settings.documents_bucket_name, Key=key, Tagging={"TagSet": [REJECTED_TAG]}
        )
