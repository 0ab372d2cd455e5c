"""Presence function: the WebSocket API's `$connect`, `$disconnect`, `$default` and `subscribe` routes."""
