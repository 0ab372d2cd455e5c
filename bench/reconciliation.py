"""What reconciliation costs: measured on a seeded ledger in moto (read units from the items' DynamoDB
sizes, calls counted exactly), projected linearly to 100,000 wallets, with the scheduled invocations of
900 s a run needs (it stops STOP_MARGIN_MS early and the next 5-minute tick resumes it)."""

from __future__ import annotations

import math
import time
from typing import Any

import boto3

from bench.counting import counting
from infra_cdk.wiring import LEDGER
from local_runtime.moto_fidelity import fresh_aws
from local_runtime.resources import REGION
from tests.support.ledger import capture, credit, debit
from twtc_core.ledger import EntryType, Ledger
from twtc_core.ledger.reconcile import RUN_SEGMENTS, STOP_MARGIN_MS, reconcile

PROJECTED_WALLETS = 100_000
PAGE_BYTES = 1024 * 1024  # a Scan page stops at 1 MB
READ_UNIT_BYTES = 4096  # a consistent read unit
ON_DEMAND_USD_PER_MILLION_READS = 0.125  # us-east-1, on-demand read request units
ASSUMED_PAGE_SECONDS = 0.1  # one 1 MB Scan page in AWS (an assumption, not measured here)
ASSUMED_SNAPSHOT_SECONDS = 0.005  # one TransactGetItems of a wallet and its hold (an assumption too)
ASSUMED_QUERY_SECONDS = 0.005  # one history Query of a wallet's entries (an assumption too)
LAMBDA_TIMEOUT_SECONDS = 900
ON_DEMAND_USD_PER_MILLION_WRITES = 0.625  # us-east-1, on-demand write request units


def seed_wallet(ledger: Ledger, user: str) -> None:
    """A wallet a few days old: three task rewards, a call minute, and a call in progress (an open hold: the
    worst case for reconciliation, which reads each wallet with open holds once more)."""
    ledger.open_wallet(user)
    for n in range(3):
        credit(ledger, f"{user}:task:{n}", user, 1_000)
    debit(ledger, f"{user}:call:1", user, 200)
    ledger.hold(hold_id=f"{user}:call:2", user_id=user, amount=600, purpose=EntryType.CALL_CHARGE)
    capture(ledger, f"{user}:call:2", user, f"{user}:call:2:min:1", 200)


def item_bytes(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (numbers ~1 byte per 2 digits + 1)."""

    def value_bytes(value: dict[str, Any]) -> int:
        ((kind, data),) = value.items()
        if kind == "S":
            return len(data.encode())
        if kind == "N":
            return len(data.lstrip("-").replace(".", "")) // 2 + 1
        if kind == "SS":
            return sum(len(member.encode()) for member in data)
        if kind == "M":
            return 3 + sum(len(name.encode()) + value_bytes(member) for name, member in data.items())
        return 1

    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def table_bytes(kind: str = "") -> int:
    """The ledger table's bytes; with `kind`, only its items whose sort key is `kind` (e.g. ENTRY)."""
    paginator = boto3.client("dynamodb", region_name=REGION).get_paginator("scan")
    return sum(
        item_bytes(item)
        for page in paginator.paginate(TableName=LEDGER.physical_name)
        for item in page["Items"]
        if not kind or item["sk"]["S"] == kind
    )


def reconcile_cost(wallets: int) -> list[tuple[str, str]]:
    with fresh_aws():
        ledger = Ledger()
        for n in range(wallets):
            seed_wallet(ledger, f"user{n}")
        with counting() as calls:
            started = time.perf_counter()
            report = reconcile(segments=RUN_SEGMENTS)
            elapsed = time.perf_counter() - started
        assert report.ok, report
        measured_bytes = table_bytes()
        entry_bytes_per_wallet = table_bytes("ENTRY") / wallets
    scale = PROJECTED_WALLETS / wallets
    projected_bytes = measured_bytes * scale
    # Both scans read the whole table (a filter does not reduce what a Scan reads), consistently: a unit
    # per 4 KB. Each wallet costs a history Query (eventually consistent: half a unit per 4 KB of its
    # entries) and, with an open hold, one TransactGetItems of two items at 2 units per item.
    scan_reads = 2 * math.ceil(projected_bytes / READ_UNIT_BYTES)
    query_reads = PROJECTED_WALLETS * 0.5 * math.ceil(entry_bytes_per_wallet / READ_UNIT_BYTES)
    snapshot_reads = 2 * 2 * PROJECTED_WALLETS
    projected_reads = scan_reads + query_reads + snapshot_reads
    pages_per_segment = 2 * math.ceil(projected_bytes / PAGE_BYTES / RUN_SEGMENTS)
    # One checkpoint (a put of under 1 KB) per round of pages: a round reads one page of every segment.
    checkpoint_writes = pages_per_segment + 1
    per_wallet_seconds = ASSUMED_QUERY_SECONDS + ASSUMED_SNAPSHOT_SECONDS
    projected_seconds = (
        pages_per_segment * ASSUMED_PAGE_SECONDS + PROJECTED_WALLETS * per_wallet_seconds / RUN_SEGMENTS
    )
    usable_seconds = LAMBDA_TIMEOUT_SECONDS - STOP_MARGIN_MS / 1000
    cost = (
        projected_reads / 1e6 * ON_DEMAND_USD_PER_MILLION_READS
        + checkpoint_writes / 1e6 * ON_DEMAND_USD_PER_MILLION_WRITES
    )
    return [
        ("seeded (measured)", f"{wallets} wallets, {report.entries_checked} entries, {wallets} open holds"),
        ("AWS calls (measured)", ", ".join(f"{name} x{count}" for name, count in sorted(calls.items()))),
        ("ledger table bytes (measured)", f"{measured_bytes:,} ({measured_bytes // wallets} per wallet)"),
        ("run time in moto (indicative)", f"{elapsed:.2f} s with {RUN_SEGMENTS} segments"),
        (f"read units, {PROJECTED_WALLETS:,} wallets (projected)", f"{projected_reads:,.0f}"),
        ("checkpoint writes (projected)", f"{checkpoint_writes} (one per round of pages)"),
        ("cost per run, on demand (projected)", f"${cost:.3f}"),
        ("scan pages per segment (projected)", f"{pages_per_segment} (1 MB each)"),
        (
            "run time in AWS (projected)",
            f"~{projected_seconds:.0f} s (assuming {ASSUMED_PAGE_SECONDS * 1000:.0f} ms a page,"
            f" {ASSUMED_QUERY_SECONDS * 1000:.0f} ms a history query,"
            f" {ASSUMED_SNAPSHOT_SECONDS * 1000:.0f} ms a snapshot read)",
        ),
        (
            f"invocations of {LAMBDA_TIMEOUT_SECONDS} s (projected)",
            f"{math.ceil(projected_seconds / usable_seconds)} ({usable_seconds:.0f} s usable each;"
            " a 5-minute tick resumes the run)",
        ),
    ]
