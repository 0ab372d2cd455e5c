"""`make simulate` on a small population: the day runs through the real handlers, the ledger reconciles
and every service the report prices was measured. In its own interpreter: the meter's botocore hooks must
be registered before any client exists, as in `make simulate`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USERS = 3
DAY = f"""
import json
from bench.behaviour import Behaviour
from bench.simulate import day_usage, simulate
# Every behaviour, fewer times (the test's CPU budget): 2 mining sessions, 1 boost, 4 tasks each.
report = simulate({USERS}, {USERS}, Behaviour(mining_sessions=2, boosts=1, tasks=4))
usage, day = report.usage, day_usage(report)
print(json.dumps({{
    "failures": dict(report.failures),
    "reconciled": report.reconciled,
    "lambda_invocations": sum(usage.invocations.values()),
    "lambda_ms": sum(usage.billed_ms.values()),
    "http_requests": day.http_requests,
    "websocket_messages": day.websocket_messages,
    "connection_minutes": day.connection_minutes,
    "read_units": day.read_units,
    "write_units": day.write_units,
    "sqs_requests": day.sqs_requests,
    "eventbridge": usage.triggers["schedule"],
    "s3_puts": day.s3_puts,
    "s3_bytes": usage.s3_bytes,
    "cognito_requests": usage.service_requests("cognito-idp"),
    "log_bytes": day.log_bytes,
    "call_minutes": day.call_minutes,
    "hot_keys": len(usage.hot_keys.by_minute),
}}))
"""


def test_a_small_population_s_day_reconciles_and_measures_every_priced_service() -> None:
    # Given a fresh platform with three users (one a host, one a caller)
    environment = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers/shared/python'}"}
    # When their day is simulated
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", DAY],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=280,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    # Then every step answered as a user would expect, and every coin is accounted for
    assert figures.pop("failures") == {}
    assert figures.pop("reconciled") is True
    # And each service the bill prices was measured
    assert {name: value for name, value in figures.items() if not value > 0} == {}
