"""Per-minute billing arithmetic (spec §5), pure: no clock, no storage.

A minute n (1-based) is started once the call has lasted more than (n - 1) * 60 seconds, so 130 s is
3 started minutes and 0 s is none. The caller pays the host's rate per started minute; the host earns
HOST_SHARE_PERCENT of it, rounded down; the remainder stays with the platform's call revenue.
"""

from __future__ import annotations

SECONDS_PER_MINUTE = 60


def minutes_started(elapsed_seconds: float) -> int:
    if elapsed_seconds <= 0:
        return 0
    whole, rest = divmod(int(elapsed_seconds * 1000), SECONDS_PER_MINUTE * 1000)
    return whole + (1 if rest else 0)


def billable_minutes(elapsed_seconds: float, held_minutes: int) -> int:
    """Started minutes, never more than the hold pays for (Twilio's timeLimit ends the call there)."""
    return min(minutes_started(elapsed_seconds), held_minutes)


def affordable_minutes(available: int, rate: int, max_minutes: int) -> int:
    """How many minutes to hold: min(MAX_CALL_MINUTES, ⌊available / rate⌋); 0 means the caller cannot pay."""
    return max(0, min(max_minutes, available // rate))


def host_share(rate: int, host_share_percent: int) -> int:
    return rate * host_share_percent // 100
