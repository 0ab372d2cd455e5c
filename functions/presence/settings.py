"""Presence configuration, read once at cold start."""

from twtc_core.settings import BaseFunctionSettings


class PresenceSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    connection_ttl_seconds: int = 2 * 60 * 60  # API Gateway closes a WebSocket after 2 hours
    max_subscriptions: int = 50
