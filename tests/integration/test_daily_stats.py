"""Daily stats through the real handlers (moto): counters as events happen, the midnight reset's
immutable snapshot (once, however often it runs), and the admin stats routes."""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest

from functions.admin_stats.handler import lambda_handler as admin_stats
from functions.midnight_reset.handler import lambda_handler as midnight_reset
from tests.support.events import FakeLambdaContext, body_of, event, http_event
from twtc_core.clock import Clock, utc_day
from twtc_core.ledger import EntryType
from twtc_core.stats import SHARDS, Metric, StatsStore

ADMIN = "6f1c9a2e-1111-4a5b-9c3d-0000000000ad"


def stats_route(path: str, query: dict[str, str], *, admin: bool = True) -> tuple[int, Any]:
    request = http_event("http_api_admin_stats_get", caller=ADMIN, path=path, query=query)
    request["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] = "[admin]" if admin else "[]"
    response = admin_stats(request, FakeLambdaContext())
    return int(response["statusCode"]), body_of(response)


def reset_at(time: str) -> dict[str, Any]:
    scheduled = {**event("eventbridge_midnight_reset"), "time": time}
    return dict(midnight_reset(scheduled, FakeLambdaContext()))


@pytest.mark.usefixtures("aws")
def test_counters_close_into_one_immutable_snapshot_at_midnight(clock: Clock) -> None:
    # Given a day of activity: 3 users, 25 task completions paying 2,500, a late straggler
    stats, day = StatsStore(), utc_day()
    for user in ("u1", "u2", "u3", "u1"):
        stats.mark_active(user, day)
    for _ in range(25):
        stats.count(day, Metric.TASKS_COMPLETED)
        stats.count(day, Metric.coins(EntryType.TASK), 100)
    stats.count(day, Metric.TASKS_ASSIGNED, 60)
    stats.count(day, Metric.fraud("device_reuse"))
    # When the clock passes midnight and the schedule fires, twice (at-least-once delivery)
    clock.advance(86_400)
    first = reset_at(f"{utc_day()}T00:00:00Z")
    stats.count(day, Metric.TASKS_COMPLETED)  # a request that straddled midnight
    second = reset_at(f"{utc_day()}T00:00:07Z")
    # Then yesterday is closed once, and its snapshot ignores what came after
    assert (first["day"], first["written"], second["written"]) == (day, True, False)
    status, closed = stats_route("/v1/admin/stats", {"date": day})
    assert status == 200 and closed["closed"] is True
    assert (closed["dau"], closed["tasks_completed"], closed["task_completion_rate"]) == (3, 25, 0.4167)
    assert closed["coins_distributed_by_type"]["TASK"] == 2_500
    assert closed["coins_distributed_by_type"]["MINING"] == 0  # not counted yet: 0, not missing
    assert closed["fraud_events_by_type"] == {"device_reuse": 1}
    # And today reads live counters
    status, today = stats_route("/v1/admin/stats", {})
    assert (status, today["date"], today["closed"], today["dau"]) == (200, utc_day(), False, 0)


@pytest.mark.usefixtures("aws")
def test_a_series_reads_snapshots_and_today_oldest_first(clock: Clock) -> None:
    stats, days = StatsStore(), []
    for n in range(3):
        days.append(utc_day())
        stats.count(utc_day(), Metric.BOOSTS, n + 1)
        clock.advance(86_400)
        reset_at(f"{utc_day()}T00:00:00Z")
    status, series = stats_route("/v1/admin/stats/series", {"from": days[0], "to": utc_day()})
    assert status == 200
    assert [(d["date"], d["boosts"], d["closed"]) for d in series["items"]] == [
        (days[0], 1, True),
        (days[1], 2, True),
        (days[2], 3, True),
        (utc_day(), 0, False),
    ]


@pytest.mark.usefixtures("aws")
def test_a_backwards_too_long_or_future_range_is_422_and_plain_users_403() -> None:
    for query in (
        {"from": "2026-11-25", "to": "2026-11-20"},
        {"from": "2026-01-01", "to": "2026-11-25"},
        {"from": "2026-11-25", "to": "2026-11-26"},
    ):
        status, answer = stats_route("/v1/admin/stats/series", query)
        assert (status, answer["error"]["code"]) == (422, "invalid_range"), query
    for path, query in (
        ("/v1/admin/stats", {}),
        ("/v1/admin/stats/series", {"from": "2026-11-24", "to": "2026-11-25"}),
    ):
        status, answer = stats_route(path, query, admin=False)
        assert (status, answer["error"]["code"]) == (403, "forbidden"), path


@pytest.mark.usefixtures("aws")
def test_counters_spread_over_the_shards() -> None:
    stats, day = StatsStore(), utc_day()
    writes = SHARDS * 20  # enough random picks that every shard gets some (all but surely)
    for _ in range(writes):
        stats.count(day, Metric.ADS_WATCHED)
    assert stats.live(day).get(Metric.ADS_WATCHED) == writes
    table = boto3.resource("dynamodb", region_name=os.environ["AWS_REGION"]).Table(
        os.environ["STATS_TABLE_NAME"]
    )
    partitions = {item["pk"] for item in table.scan()["Items"]}
    assert partitions == {f"STATS#{day}#{shard}" for shard in range(SHARDS)}
