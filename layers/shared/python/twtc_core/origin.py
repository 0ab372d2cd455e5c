"""Who acts from where, and how long an action took: written with each activity (twtc_core.security).

Plain values with no AWS imports, so the edge helpers (and the CDK app, which reads their header names)
can use them without table settings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    """Who is acting from where: written with each activity. Handlers build it with
    `twtc_core.edge.request_origin(app)`; country and coordinates are CloudFront's viewer location."""

    ip: str | None = None
    user_agent: str | None = None
    device_id: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    session_id: str | None = None  # the login the token belongs to (Cognito `origin_jti`)


@dataclass(frozen=True)
class ActionTiming:
    """How long an action took against the least the content allows (a completion faster than
    `required_seconds` is a timing finding)."""

    required_seconds: int
    elapsed_seconds: float
