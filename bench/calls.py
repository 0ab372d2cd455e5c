"""What calls cost (issue 9): AWS calls per voice webhook, status callback and billed minute, and the
billing tick's wall time and AWS calls for 10, 100 and 1,000 active calls with 100,000 users (and as many
ended calls) in the tables. The tick reads the sparse index of ACTIVE calls, so neither grows its cost."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import boto3

from bench.counting import counting
from infra_cdk.wiring import CALLS, USERS
from local_runtime.moto_fidelity import fresh_aws
from local_runtime.resources import REGION
from tests.support.calls import dial, leg_status, user
from tests.support.events import FakeLambdaContext, event
from twtc_core.calls.models import Call, CallStatus
from twtc_core.calls.service import call_id_of
from twtc_core.calls.store import CallStore
from twtc_core.clock import CLOCK, utc_now
from twtc_core.ledger import EntryType, Ledger

Row = tuple[str, int, str, str]
ACTIVE_CALL_COUNTS = (10, 100, 1_000)
USERS_IN_TABLES = 100_000
BATCH = 25  # BatchWriteItem's limit


def _tick() -> Any:
    from functions.billing_tick.handler import lambda_handler  # noqa: PLC0415  (after the env is set)

    return lambda_handler(event("billing_tick"), FakeLambdaContext())


def _counted(step: Callable[[], Any]) -> tuple[int, str]:
    with counting() as calls:
        step()
    return calls.total(), ", ".join(f"{name} x{n}" for name, n in sorted(calls.items()))


def per_operation() -> list[Row]:
    """One call through the real handlers: dialed, answered, one minute billed by the tick, hung up."""
    with fresh_aws():
        caller, host = user("bench-caller", coins=100_000), user("bench-host", rate=1_000, connected=True)
        sid = "CA" + "0" * 31 + "1"
        rows: list[Row] = []
        for name, step, goal in (
            ("voice webhook (call placed: BUSY pair, log, hold)", lambda: dial(sid, caller, host), "-"),
            ("status callback: answered", lambda: leg_status(sid, "in-progress"), "-"),
            ("billing tick, 1 active call, 1 minute billed", lambda: (CLOCK.advance(30), _tick()), "-"),
            (
                "status callback: completed (settles 2nd minute, releases)",
                lambda: (CLOCK.advance(60), leg_status(sid, "completed", 90)),
                "-",
            ),
            (
                "status callback: completed, duplicate",
                lambda: leg_status(sid, "completed", 90),
                "changes nothing",
            ),
        ):
            total, which = _counted(step)
            rows.append((name, total, which, goal))
        return rows


def _seed_bystanders(count: int) -> None:
    """`count` profiles and as many ended calls (never in the sparse index), written in batches."""
    client = boto3.client("dynamodb", region_name=REGION)
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        client.batch_write_item(
            RequestItems={
                USERS.physical_name: [
                    {"PutRequest": {"Item": {"pk": {"S": f"USER#u{n}"}, "sk": {"S": "PROFILE"}}}}
                    for n in numbers
                ],
                CALLS.physical_name: [
                    {
                        "PutRequest": {
                            "Item": {
                                "pk": {"S": f"CALL#ended-{n}"},
                                "sk": {"S": "CALL"},
                                "status": {"S": CallStatus.ENDED.value},
                            }
                        }
                    }
                    for n in numbers
                ],
            }
        )


def _active_call(n: int, calls: CallStore, ledger: Ledger) -> None:
    caller, host = f"caller-{n}", f"host-{n}"
    for party in (caller, host):
        ledger.open_wallet(party)
    ledger.credit(
        entry_id=f"gift:{n}", user_id=caller, amount=10_000, entry_type=EntryType.TASK, description="gift"
    )
    call = calls.create(
        Call(
            call_id_of(f"CA{n:032d}"),
            f"CA{n:032d}",
            caller,
            host,
            1_000,
            10,
            CallStatus.RINGING,
            utc_now(),
            None,
            None,
            None,
            0,
            None,
        )
    )
    ledger.hold(hold_id=call.hold_id, user_id=caller, amount=call.hold_amount, purpose=EntryType.CALL_CHARGE)
    calls.mark_active(call.call_id, utc_now())


def tick_costs(users: int = USERS_IN_TABLES) -> list[Row]:
    rows: list[Row] = []
    for active in ACTIVE_CALL_COUNTS:
        with fresh_aws():
            _seed_bystanders(users)
            calls, ledger = CallStore(), Ledger()
            for n in range(active):
                _active_call(n, calls, ledger)
            CLOCK.advance(61)  # two started minutes each
            started = time.perf_counter()
            total, which = _counted(_tick)
            wall = time.perf_counter() - started
            rows.append(
                (
                    f"{active} active calls, {users:,} users + {users:,} ended calls",
                    total,
                    f"{wall:.2f} s wall (moto); {total / active:.1f} calls per call; {which}",
                    "grows with active calls only",
                )
            )
    return rows


def call_figures(users: int = USERS_IN_TABLES) -> tuple[list[Row], list[Row]]:
    CLOCK.freeze(utc_now())
    try:
        return per_operation(), tick_costs(users)
    finally:
        CLOCK.reset()
