"""Presence configuration, read once at cold start."""

from twtc_core.settings import BaseFunctionSettings


class PresenceSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    presence_liveness_seconds: int  # SETTINGS: how long a connection stays live after a heartbeat
    max_subscriptions: int = 50
