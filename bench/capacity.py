"""From a simulated day to 1 million users: hot partition keys and the account quotas at the busiest minute.

Scaling: a key shared by all users (a group's counter, a stats shard) takes the writes of the whole
population, so its busiest simulated minute grows by target / simulated users; a key naming one user,
session or IP does not grow at all. Writes made by a scheduled job are not tied to the clock: a job writes
as fast as it runs, so its rate on a key is its writes per AWS call over one DynamoDB round trip.
Rates are per-minute averages (the simulated arrivals are spread evenly within a minute); what users do at
any time of day (hosts' presence, sign-ups, KYC, withdrawals) adds its daily writes spread over the day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bench.metering import HotKeys, Usage, key_family

PARTITION_WCU_PER_SECOND = 1_000  # DynamoDB's per-partition write throughput
HOT_SHARE = 0.5  # the limit: no family above half of it
MINUTES_PER_DAY = 24 * 60
ROUND_TRIP_SECONDS = 0.010  # a DynamoDB call seen from Lambda in-region (single-digit ms + SDK)
QUOTAS = {
    # quota -> (default limit per second or concurrent, where it comes from)
    "Lambda concurrency": (1_000, "Lambda concurrent executions per account and region"),
    "API Gateway requests/s": (10_000, "API Gateway throttle per account and region (HTTP + WebSocket)"),
    "WebSocket new connections/s": (500, "API Gateway WebSocket new connections per second"),
    "WebSocket messages/s (in + pushed)": (10_000, "shares the account's API Gateway throttle"),
}


@dataclass(frozen=True)
class HotKey:
    family: str  # table[/index]: key with its variable parts as {x}
    example: str
    wcu_per_second: float
    shared: bool
    source: str  # "requests" | "job"

    @property
    def share(self) -> float:
        return self.wcu_per_second / PARTITION_WCU_PER_SECOND


def hot_keys(hot: HotKeys, simulated: int, target: int) -> list[HotKey]:
    """Every key family's busiest key at `target` users, the hottest first."""
    scale = target / simulated
    worst: dict[str, HotKey] = {}

    def keep(candidate: HotKey) -> None:
        if candidate.family not in worst or candidate.wcu_per_second > worst[candidate.family].wcu_per_second:
            worst[candidate.family] = candidate

    for table_key in {*hot.by_minute, *hot.spread}:
        table, key = table_key
        family, shared = key_family(key)
        minutes = hot.by_minute.get(table_key, {})
        busiest = max(minutes.values(), default=0.0) + hot.spread.get(table_key, 0.0) / MINUTES_PER_DAY
        rate = busiest / 60 * (scale if shared else 1)
        keep(HotKey(f"{table}: {family}", key, rate, shared, "requests"))
    for (table, key), units_per_call in hot.job_units_per_call.items():
        family, shared = key_family(key)
        keep(HotKey(f"{table}: {family}", key, units_per_call / ROUND_TRIP_SECONDS, shared, "job"))
    return sorted(worst.values(), key=lambda hot_key: hot_key.wcu_per_second, reverse=True)


@dataclass(frozen=True)
class QuotaUse:
    quota: str
    limit: float
    peak: float  # at the target population, busiest minute
    busiest_minute: int

    @property
    def users_at_limit(self) -> float:
        return float("inf") if not self.peak else self.limit / self.peak


def quota_use(usage: Usage, simulated: int, target: int) -> list[QuotaUse]:
    """Each quota's use in its busiest simulated minute, scaled to `target` users (per-minute averages;
    Lambda concurrency = invocations/s x mean measured duration)."""
    scale = target / simulated
    series: dict[str, dict[int, float]] = defaultdict(dict)
    for minute, counts in usage.per_minute.items():
        series["Lambda concurrency"][minute] = counts["lambda_ms"] / 1000 / 60 * scale
        series["API Gateway requests/s"][minute] = (counts["http"] + counts["websocket"]) / 60 * scale
        series["WebSocket new connections/s"][minute] = counts["websocket_connect"] / 60 * scale
        series["WebSocket messages/s (in + pushed)"][minute] = (
            (counts["websocket"] + counts["websocket_push"]) / 60 * scale
        )
    uses = []
    for quota, (limit, _) in QUOTAS.items():
        minute, peak = max(series[quota].items(), key=lambda item: item[1], default=(0, 0.0))
        uses.append(QuotaUse(quota, limit, peak, minute))
    return uses


def binding(uses: list[QuotaUse], target: int) -> tuple[QuotaUse, float]:
    """The quota reached first and the population at which it is reached."""
    first = min(uses, key=lambda use: use.users_at_limit)
    return first, first.users_at_limit * target
