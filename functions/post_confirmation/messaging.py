"""The referral queue: the only code here that talks to SQS."""

from __future__ import annotations

import json

import boto3


class ReferralQueue:
    def __init__(self, queue_url: str, region: str) -> None:
        self._url = queue_url
        self._client = boto3.client("sqs", region_name=region)

    def request_reward(self, referral_id: str) -> None:
        """Ask the worker to reward the referral; sending it twice is harmless (the worker is idempotent)."""
        self._client.send_message(QueueUrl=self._url, MessageBody=json.dumps({"referral_id": referral_id}))
