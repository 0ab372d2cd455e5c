"""Presence function: the WebSocket API's `$connect`, `$disconnect`, `$default`, `subscribe` and
`heartbeat` routes."""
