"""The calls' business settings (spec §10), from the environment the wiring declares; no defaults here."""

from __future__ import annotations

from twtc_core.settings import BaseFunctionSettings


class TwilioSettings(BaseFunctionSettings):
    twilio_secret_id: str  # the Twilio credentials' secret in Secrets Manager (name or ARN)


class BillingSettings(BaseFunctionSettings):
    host_share_percent: int
    max_call_minutes: int
    low_balance_minutes: int


class WebhookSettings(BaseFunctionSettings):
    # What Twilio calls (the CloudFront or custom domain): the base of every URL it signs.
    public_base_url: str
