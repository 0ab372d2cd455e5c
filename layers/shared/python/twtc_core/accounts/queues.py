"""The accounts queues (provisioning, referral rewards): the only accounts code that talks to SQS.

Every message is a request an idempotent worker fulfils, so sending one twice is harmless.
"""

from __future__ import annotations

import json

import boto3


class _Queue:
    def __init__(self, queue_url: str, region: str) -> None:
        self._url = queue_url
        self._client = boto3.client("sqs", region_name=region)

    def _send(self, body: dict[str, str]) -> None:
        self._client.send_message(QueueUrl=self._url, MessageBody=json.dumps(body))


class ReferralQueue(_Queue):
    def request_reward(self, referral_id: str) -> None:
        """Ask the referral worker to reward the referral."""
        self._send({"referral_id": referral_id})


class ProvisioningQueue(_Queue):
    def request_provisioning(self, user_id: str) -> None:
        """Ask the provisioning worker to open the confirmed user's account (it reads the user pool)."""
        self._send({"user_id": user_id})
