"""Sending a submission to the provider, once in the request and, after an outage, from the retry queue.

The full document number lives only in memory, in the request to the provider, and — while the provider is
down — in the `kyc_submissions` queue's message (encrypted at rest, deleted once the provider accepts it;
docs/decisions.md, "A provider outage and the forgotten Aadhaar number").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import boto3
from pydantic import BaseModel

from twtc_core.kyc.models import DocType, KycStatus
from twtc_core.kyc.providers import KycProvider, ProviderRequest
from twtc_core.kyc.store import KycStore


class RetryRequest(BaseModel):
    """The retry queue's message."""

    kyc_id: str
    doc_type: DocType
    doc_number: str

    def __repr_args__(self) -> Any:  # the number never reaches a log line or a traceback
        return [("kyc_id", self.kyc_id), ("doc_type", self.doc_type)]


class RetryQueue:
    def __init__(self, queue_url: str, region: str) -> None:
        self._url = queue_url
        self._region = region

    @cached_property
    def _sqs(self) -> Any:
        return boto3.client("sqs", region_name=self._region)

    def send(self, request: ProviderRequest) -> None:
        body = RetryRequest(kyc_id=request.kyc_id, doc_type=request.doc_type, doc_number=request.doc_number)
        self._sqs.send_message(QueueUrl=self._url, MessageBody=json.dumps(body.model_dump(mode="json")))


@dataclass(frozen=True)
class Verification:
    provider: KycProvider
    store: KycStore

    def retry(self, message: str) -> str:
        """One retry-queue message: resent unless the submission was meanwhile decided or accepted; an
        outage raises (SQS redelivers it after the visibility timeout, the DLQ ends it)."""
        retry = RetryRequest.model_validate_json(message)
        submission = self.store.get(retry.kyc_id)
        if submission is None or submission.status is not KycStatus.PENDING or submission.provider_reference:
            return "already_settled"
        self.submit(
            ProviderRequest(kyc_id=retry.kyc_id, doc_type=retry.doc_type, doc_number=retry.doc_number)
        )
        return "submitted"

    def submit(self, request: ProviderRequest) -> None:
        """Raises ProviderUnavailable when the provider did not take it."""
        self.store.set_provider_reference(request.kyc_id, self.provider.submit(request))
