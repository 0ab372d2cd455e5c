"""From a simulated day to 1 million users: hot partition keys and the account quotas at the busiest minute.

Scaling: a key shared by all users (a group's counter, a stats shard) takes the writes of the whole
population, so its busiest minute (metered for the day's population) grows by target / users; a key
naming one user, session or IP does not grow at all. Writes made by a scheduled job are not tied to the
clock: a job writes as fast as it runs, so its rate on a key is its writes per AWS call over one DynamoDB
round trip.
Rates are per-minute averages (the simulated arrivals are spread evenly within a minute); what users do at
any time of day (hosts' presence, sign-ups, KYC, withdrawals) adds its daily writes spread over the day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bench.metering import HotKeys, Usage, key_family
from twtc_core.earning.sessions import DUE_SHARDS
from twtc_core.ledger.store import PLATFORM_SHARDS
from twtc_core.stats import SHARDS as STATS_SHARDS

PARTITION_WCU_PER_SECOND = 1_000  # DynamoDB's per-partition write throughput
HOT_SHARE = 0.5  # the limit: no family above half of it
MINUTES_PER_DAY = 24 * 60
# Families whose key is a shard picked at random or by a hash of the item's id: with a million users their
# writes spread evenly, so a shard's rate is the family's over its shard count (a small sample's busiest
# shard would only show which shard the dice favoured).
# family prefix -> its shard count
EVENLY_SHARDED = {
    "stats: STATS#": STATS_SHARDS,
    "ledger: PLATFORM#": PLATFORM_SHARDS,
    "earning/due: DUE#": DUE_SHARDS,
}
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


def hot_keys(hot: HotKeys, users: int, target: int) -> list[HotKey]:
    """Every key family's busiest key at `target` users (from a day of `users`), the hottest first."""
    scale = target / users
    worst: dict[str, HotKey] = {}

    def keep(candidate: HotKey) -> None:
        if candidate.family not in worst or candidate.wcu_per_second > worst[candidate.family].wcu_per_second:
            worst[candidate.family] = candidate

    for family, rate, example in _evenly_sharded(hot, scale):
        keep(HotKey(family, example, rate, True, "requests"))
    for table_key in {*hot.by_minute, *hot.spread}:
        table, key = table_key
        family, shared = key_family(key)
        if _shard_count(table, key):
            continue
        minutes = hot.by_minute.get(table_key, {})
        busiest = max(minutes.values(), default=0.0) + hot.spread.get(table_key, 0.0) / MINUTES_PER_DAY
        rate = busiest / 60 * (scale if shared else 1)
        keep(HotKey(f"{table}: {family}", key, rate, shared, "requests"))
    for (table, key), units_per_call in hot.job_units_per_call.items():
        family, shared = key_family(key)
        keep(HotKey(f"{table}: {family}", key, units_per_call / ROUND_TRIP_SECONDS, shared, "job"))
    return sorted(worst.values(), key=lambda hot_key: hot_key.wcu_per_second, reverse=True)


def _shard_count(table: str, key: str) -> int | None:
    """The family's shard count if its shard is picked at random or by a hash, else None."""
    return next((n for prefix, n in EVENLY_SHARDED.items() if f"{table}: {key}".startswith(prefix)), None)


def _evenly_sharded(hot: HotKeys, scale: float) -> list[tuple[str, float, str]]:
    """Per evenly sharded family (and account or day: the key with its shard number dropped): the busiest
    minute's units over all its shards, divided by the shards, per second, scaled."""
    minutes: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    shards: dict[str, int] = {}
    for (table, key), by_minute in hot.by_minute.items():
        count = _shard_count(table, key)
        if not count:
            continue
        family, _ = key_family(key)
        group = f"{table}: {family}|{key.rsplit('#', 1)[0]}"
        shards[group] = count
        for minute, units in by_minute.items():
            minutes[group][minute] += units
    return [
        (
            group.split("|")[0],
            max(by_minute.values()) / shards[group] / 60 * scale,
            f"{group.split('|')[1]}#<shard> ({shards[group]} shards)",
        )
        for group, by_minute in minutes.items()
    ]


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
    Lambda concurrency = invocations/s x their measured duration under moto, which overstates it)."""
    scale = target / simulated
    series: dict[str, dict[int, float]] = defaultdict(dict)
    for minute, counts in usage.per_minute.items():
        # A scheduled job is one invocation however many users it serves: at most one instance each.
        jobs = min(counts["jobs"], counts["lambda_ms_jobs"] / 1000 / 60 * scale)
        series["Lambda concurrency"][minute] = counts["lambda_ms"] / 1000 / 60 * scale + jobs
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
