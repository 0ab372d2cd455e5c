"""Issue 10's figures: AWS calls per ads/mining request (goal <= 3 each), and what a group's window job
costs for 100 and 1,000 due sessions in a group among 100,000 users' sessions (measured, not asserted).
Runs against moto; call counts are exact, times indicative only."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from bench.counting import counting
from functions.group_window.handler import lambda_handler as group_window_handler
from infra_cdk.wiring import EARNING
from local_runtime.moto_fidelity import fresh_aws
from local_runtime.resources import REGION
from tests.support import earning
from tests.support.events import FakeLambdaContext
from twtc_core.clock import CLOCK, iso
from twtc_core.earning import windows
from twtc_core.earning.sessions import DUE_SHARDS, due_shard_key
from twtc_core.ledger import Ledger

GROUP = 3
# Sessions of other users seeded around the due ones (BENCH_MINING_POPULATION overrides, for a busy machine).
POPULATION = int(os.environ.get("BENCH_MINING_POPULATION", "100000"))
GOAL = "<= 3"


def _calls(step: Callable[[], Any]) -> tuple[int, str]:
    with counting() as calls:
        step()
    return calls.total(), ", ".join(f"{name} x{count}" for name, count in sorted(calls.items()))


def request_calls() -> list[tuple[str, int, str, str]]:
    """One user's loop through the handlers (session check already cached, as on a warm container)."""
    with fresh_aws():
        CLOCK.freeze(windows.slots_of_day(GROUP, datetime(2026, 11, 25, tzinfo=UTC))[2])
        earning.seed_ad_units()
        user = "bench-miner"
        earning.provision(user, GROUP)
        earning.mining_state(user)  # warms the session check cache
        rows = []
        impression: dict[str, str] = {}

        def issue() -> None:
            impression["id"] = earning.issue_impression(user)
            CLOCK.advance(earning.MINING_AD_SECONDS)

        steps: list[tuple[str, Callable[[], Any]]] = [
            ("POST /v1/ads/impressions", issue),
            (
                "POST /v1/ads/impressions/{id}/complete",
                lambda: earning.complete_impression(user, impression["id"]),
            ),
            ("POST /v1/mining/sessions", lambda: earning.start_mining(user, impression["id"])),
            ("GET /v1/mining (session running)", lambda: earning.mining_state(user)),
        ]
        for name, step in steps:
            rows.append((name, *_calls(step), GOAL))
        CLOCK.advance(4 * 3600)
        rows.append(
            (
                "GET /v1/mining (ended: lazy settlement, once)",
                *_calls(lambda: earning.mining_state(user)),
                "-",
            )
        )
        rows.append(("GET /v1/mining (after settlement)", *_calls(lambda: earning.mining_state(user)), GOAL))
        CLOCK.reset()
        return rows


def _seed_sessions(slot: datetime, due: int) -> None:
    """POPULATION users' sessions over all groups (batch writes), `due` of them in GROUP ended by `slot`;
    the others end later (still running) or belong to other groups. Due users get a wallet to credit."""
    table = boto3.resource("dynamodb", region_name=REGION).Table(EARNING.physical_name)
    with table.batch_writer() as batch:
        for n in range(POPULATION):
            group = GROUP if n < due else n % 10 + 1
            ends = slot - timedelta(minutes=1) if n < due else slot + timedelta(hours=1)
            user, session = f"user-{n:06d}", f"session-{n:06d}"
            batch.put_item(
                Item={
                    "pk": f"MINER#{user}",
                    "sk": f"SESSION#{session}",
                    "session_id": session,
                    "user_id": user,
                    "group": group,
                    "started_at": iso(ends - timedelta(hours=4)),
                    "ends_at": iso(ends),
                    "base_reward": 10_000,
                    "boost_multiplier": 100,
                    "status": "ACTIVE",
                    "impression_id": f"impression-{n:06d}",
                    "due_pk": due_shard_key(group, n % DUE_SHARDS),
                    "due_sk": f"{iso(ends)}#{user}#{session}",
                }
            )
    ledger = Ledger()
    for n in range(due):
        ledger.open_wallet(f"user-{n:06d}")


def group_window_cost() -> list[tuple[str, str, str, str]]:
    rows = []
    for due in (100, 1_000):
        with fresh_aws():
            slot = windows.slots_of_day(GROUP, datetime(2026, 11, 25, tzinfo=UTC))[3]
            CLOCK.freeze(slot)
            _seed_sessions(slot, due)
            started = time.perf_counter()
            with counting() as calls:
                result = group_window_handler({"group": GROUP}, FakeLambdaContext())
            elapsed = time.perf_counter() - started
            CLOCK.reset()
        assert result["settled"] == due, result
        rows.append(
            (
                f"{due} due in group {GROUP} of {POPULATION:,} sessions",
                str(calls.total()),
                f"{calls.total() / due:.1f}",
                f"{elapsed:.1f}",
            )
        )
    return rows
