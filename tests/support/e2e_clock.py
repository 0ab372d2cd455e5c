"""The local runtime's clock as e2e tests move it (`/_local/clock`): forward only, never a sleep."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx


def advance(api: httpx.Client, seconds: float) -> None:
    assert api.post("/_local/clock", json={"advance_seconds": seconds}).status_code == 200


def now(api: httpx.Client) -> datetime:
    return datetime.fromisoformat(api.get("/_local/clock").json()["now"])


def past_midnight(api: httpx.Client, seconds_after: int) -> None:
    """Move the clock to `seconds_after` the next 00:00 UTC (the midnight reset runs on the way)."""
    current = now(api)
    midnight = (current + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    advance(api, (midnight - current).total_seconds() + seconds_after)
