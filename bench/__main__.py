"""Print the platform's performance figures (spec §12): AWS calls per operation, handler import time,
deployment asset sizes, and how job cost grows. Runs against moto; nothing here is a test."""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.counting import counting
from bench.printing import table
from local_runtime.resources import environment

os.environ.update(environment())
# The figures are the output: the handlers' INFO lines (a tick ran, a referral was paid) would bury them.
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")

from local_runtime.cognito import install_cognito_emulation
from local_runtime.moto_fidelity import fresh_aws, make_dynamodb_atomic

make_dynamodb_atomic()
install_cognito_emulation()
with fresh_aws() as declared:
    # Resource ids are the same in every fresh moto; the handlers read them at import, like a cold start.
    os.environ.update(declared)

from bench import presence
from bench.admin_console import bundle_sizes, first_load
from bench.boosts import boost_calls
from bench.calls import call_figures
from bench.kyc import kyc_calls
from bench.mining import group_window_cost, request_calls
from bench.reconciliation import reconcile_cost
from bench.tasks import midnight_reset_cost, task_request_calls
from bench.trust import trust_figures
from bench.withdrawals import withdrawal_calls
from functions.profile.handler import lambda_handler as profile_handler
from functions.referrals.handler import lambda_handler as referrals_handler
from functions.wallet.handler import lambda_handler as wallet_handler
from infra_cdk.dependency_layer import LAYER_NAMES, layer_directory
from infra_cdk.wiring import FUNCTIONS
from local_runtime.outbox import OUTBOX
from tests.support import accounts
from tests.support.events import FakeLambdaContext, http_event
from twtc_core.accounts.sessions import SessionGate
from twtc_core.ledger import EntryType, Ledger, PlatformAccount

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = FakeLambdaContext()
IMPORT_RUNS = 5
RECONCILE_SEEDED_WALLETS = 100


def measured(operation: Callable[[], Any]) -> tuple[Counter[str], float]:
    with counting() as calls:
        started = time.perf_counter()
        operation()
        elapsed_ms = (time.perf_counter() - started) * 1000
    return calls, elapsed_ms


def describe(calls: Counter[str]) -> str:
    return ", ".join(f"{name} x{count}" for name, count in sorted(calls.items())) or "-"


def ledger_calls() -> list[tuple[str, int, str, str]]:
    ledger = Ledger()
    ledger.open_wallet("bench")
    credit: dict[str, Any] = {
        "entry_id": "bench:credit",
        "user_id": "bench",
        "amount": 100_000,
        "entry_type": EntryType.MINING,
        "description": "bench",
    }
    operations: list[tuple[str, Callable[[], Any]]] = [
        ("credit", lambda: ledger.credit(**credit)),
        ("credit replayed (same id)", lambda: ledger.credit(**credit)),
        (
            "debit",
            lambda: ledger.debit(
                entry_id="bench:debit",
                user_id="bench",
                amount=1_000,
                entry_type=EntryType.CALL_CHARGE,
                description="bench",
                destination=PlatformAccount.CALL_REVENUE,
            ),
        ),
        (
            "hold",
            lambda: ledger.hold(
                hold_id="bench:hold", user_id="bench", amount=12_000, purpose=EntryType.CALL_CHARGE
            ),
        ),
        (
            "capture (partial)",
            lambda: ledger.capture(
                hold_id="bench:hold",
                user_id="bench",
                entry_id="bench:capture",
                amount=1_000,
                entry_type=EntryType.CALL_CHARGE,
                description="bench",
                destination=PlatformAccount.CALL_REVENUE,
            ),
        ),
        ("release", lambda: ledger.release(hold_id="bench:hold", user_id="bench")),
        ("wallet summary", lambda: ledger.get_wallet("bench")),
        ("history page (20)", lambda: ledger.history("bench", 20, None)),
    ]
    rows = []
    for name, operation in operations:
        calls, elapsed_ms = measured(operation)
        rows.append((name, calls.total(), describe(calls), f"{elapsed_ms:.1f}"))
    return rows


def account_calls() -> list[tuple[str, int, str, str]]:
    """A referred sign-up through the real handlers, counting each step's AWS calls (triggers included)."""
    referrer = accounts.open_account(OUTBOX, "referrer@example.com", ip="198.51.100.7")
    code = accounts.referral_code_of(referrer.user_id)
    email, device = "newcomer@example.com", "device-newcomer"

    def provision_queued() -> Any:
        return accounts.run_provisioning_of(delivered)

    steps: list[tuple[str, Callable[[], Any]]] = [
        (
            "POST /v1/auth/signup (with code)",
            lambda: accounts.sign_up(email, device_id=device, referral_code=code, ip="203.0.113.50"),
        ),
        (
            "POST /v1/auth/confirm (+ PostConfirmation: queues provisioning)",
            lambda: accounts.confirm(OUTBOX, email),
        ),
        ("provisioning worker, 1 message (SQS event source delivers it)", provision_queued),
        (
            "POST /v1/auth/login (known device)",
            lambda: accounts.log_in(referrer.username, referrer.device_id),
        ),
        (
            "POST /v1/auth/login (new device)",
            lambda: tokens.update(accounts.log_in(referrer.username, "device-other")[1]),
        ),
        ("receive + referral worker, 1 message", lambda: accounts.run_worker(accounts.queued_messages())),
        (
            "GET /v1/wallet (+ session check, not cached)",
            lambda: as_me(wallet_handler, "http_api_wallet_get"),
        ),
        ("GET /v1/wallet/transactions", lambda: as_me(wallet_handler, "http_api_wallet_transactions")),
        ("GET /v1/me", lambda: as_me(profile_handler, "http_api_me_get")),
        ("GET /v1/referrals", lambda: as_me(referrals_handler, "http_api_referrals_get")),
    ]
    tokens: dict[str, Any] = {}

    def as_me(handler: Callable[..., Any], event_name: str) -> None:
        """The request as API Gateway hands it over with the referrer's live access token."""
        claims = accounts.claims_of(tokens["access_token"])
        response = handler(http_event(event_name, caller=None, claims=claims), CONTEXT)
        assert response["statusCode"] == 200, response

    rows = []
    delivered: list[dict[str, Any]] = []
    for name, step in steps:
        if step is provision_queued:  # what the event source receives is not the function's cost
            delivered.extend(accounts.queued_messages("PROVISIONING_QUEUE_URL"))
        calls, _ = measured(step)
        rows.append((name, calls.total(), describe(calls), ACCOUNT_GOALS.get(name, "")))
    confirmation = sum(
        int(row[1]) for row in rows if row[0].startswith(("POST /v1/auth/confirm", "provisioning"))
    )
    rows.append(("= confirmation + provisioning", confirmation, "", "≤ 8"))
    return rows


def session_check_calls() -> list[tuple[str, int, str, str]]:
    """What the session gate adds to every authorized request (issue 7 goal: bounded, stated delay)."""
    claims = {"sub": "bench-user", "token_use": "access", "auth_time": "1795597140", "origin_jti": "s"}
    gate = SessionGate()
    cold, _ = measured(lambda: gate.require_live(claims))
    warm, _ = measured(lambda: gate.require_live(claims))
    ending, _ = measured(lambda: gate.end_sessions("bench-user", keep="s"))
    goal = f"ended sessions refused within {SessionGate.CACHE_SECONDS} s (spec: 60 s)"
    return [
        (
            f"check, first request of a user in a container (then cached {SessionGate.CACHE_SECONDS} s)",
            cold.total(),
            describe(cold),
            goal,
        ),
        ("check, cached", warm.total(), describe(warm), "0 calls"),
        ("end a user's sessions (new-device login, erasure)", ending.total(), describe(ending), "1 write"),
    ]


# Issue 8's goals, printed beside the measured counts.
ACCOUNT_GOALS = {
    "POST /v1/auth/signup (with code)": "≤ 5",
    "POST /v1/auth/confirm (+ PostConfirmation: queues provisioning)": "≤ 3",
    "provisioning worker, 1 message (SQS event source delivers it)": "≤ 5",
    "POST /v1/auth/login (known device)": "≤ 3",
}
HELLO_WORLD = "bench.hello_world"
IMPORT_RATIO_GOAL = 0.6  # issue 8: a handler's import at most 0.6x the hello world's, same run
MAX_LAYER_KIB = 40 * 1024  # issue 8: each dependency layer at most 40 MB unzipped


def import_seconds(module: str, env: dict[str, str]) -> float:
    probe = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
    run = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    return float(run.stdout)


def import_times() -> list[tuple[str, str, str, str, str]]:
    """Each handler's import in a fresh interpreter beside the hello world's, sampled in turns so that a
    busy machine slows both alike."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers/shared/python'}"}
    modules = [HELLO_WORLD, *(spec.module for spec in FUNCTIONS)]
    samples: dict[str, list[float]] = {module: [] for module in modules}
    for _ in range(IMPORT_RUNS):
        for module in modules:
            samples[module].append(import_seconds(module, env))
    baseline = statistics.median(samples[HELLO_WORLD])
    rows = []
    for module in modules:
        median = statistics.median(samples[module])
        ratio = median / baseline
        verdict = (
            "baseline" if module == HELLO_WORLD else ("met" if ratio <= IMPORT_RATIO_GOAL else "not met")
        )
        rows.append(
            (module, f"{median * 1000:.0f}", f"{min(samples[module]) * 1000:.0f}", f"{ratio:.2f}", verdict)
        )
    return rows


def zipped_size(directory: Path) -> tuple[int, int]:
    buffer = io.BytesIO()
    raw = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                raw += path.stat().st_size
                archive.write(path, path.relative_to(directory))
    return raw, buffer.tell()


def asset_sizes() -> list[tuple[str, str, str, str]]:
    assets: dict[str, tuple[Path, str]] = {
        f"layer: {layer} dependencies": (layer_directory(layer), f"<= {MAX_LAYER_KIB} KiB raw")
        for layer in LAYER_NAMES
    }
    assets["layer: shared"] = (ROOT / "layers/shared", "-")
    assets.update(
        {
            f"function: {spec.name}": (ROOT / "functions" / spec.name, f"+ layers {', '.join(spec.layers)}")
            for spec in FUNCTIONS
        }
    )
    rows = []
    for name, (directory, goal) in assets.items():
        if not directory.exists():
            rows.append((name, "not built", "-", goal))
            continue
        raw, zipped = zipped_size(directory)
        rows.append((name, f"{raw / 1024:.0f}", f"{zipped / 1024:.0f}", goal))
    return rows


def main() -> None:
    warnings.filterwarnings("ignore", "No application metrics to publish")
    print("TWTC bench — AWS served by moto; call counts are exact, times are indicative only.")
    with fresh_aws():
        table("AWS calls per ledger operation", ("operation", "calls", "which", "ms (moto)"), ledger_calls())
    with fresh_aws():
        table(
            "AWS calls per request (handler entry points, real event shapes)",
            ("step", "calls", "which", "goal"),
            account_calls(),
        )
    with fresh_aws():
        table(
            "Session check on every authorized request",
            ("step", "calls", "which", "goal"),
            session_check_calls(),
        )
    with fresh_aws():
        table("Trust (issue 13): fraud layer", ("figure", "value", "which", "goal"), trust_figures())
        table(
            "Withdrawals (issue 12): AWS calls per request",
            ("step", "calls", "which", "goal"),
            withdrawal_calls(),
        )
        table("KYC: AWS calls per request", ("step", "calls", "which", "goal"), kyc_calls(measured))
    table(
        f"Handler import time, fresh interpreter (median/min of {IMPORT_RUNS}), against the hello world "
        f"(goal: ratio <= {IMPORT_RATIO_GOAL})",
        ("module", "median ms", "min ms", "ratio", "goal"),
        import_times(),
    )
    table("Deployment asset sizes", ("asset", "raw KiB", "zipped KiB", "goal / attaches"), asset_sizes())
    table(
        f"Reconciliation: measured on {RECONCILE_SEEDED_WALLETS} wallets, projected to 100,000",
        ("figure", "value"),
        reconcile_cost(RECONCILE_SEEDED_WALLETS),
    )
    presence.report(table)

    with fresh_aws():
        table(
            "Daily tasks: AWS calls per request (issue 11)",
            ("step", "calls", "which", "goal"),
            task_request_calls(),
        )
    resets = []
    for users in (1_000, 100_000):
        with fresh_aws():
            resets.append(midnight_reset_cost(users))
    table("Midnight reset (issue 11)", ("day with", "calls", "which", "ms (moto)", "goal"), resets)
    per_operation, ticks = call_figures()
    table(
        "Calls: AWS calls per webhook and billed minute (issue 9)",
        ("step", "calls", "which", "goal"),
        per_operation,
    )
    table("Calls: the billing tick", ("active calls", "calls", "wall time and which", "goal"), ticks)
    table(
        "Ads and mining: AWS calls per request (issue 10)",
        ("step", "calls", "which", "goal"),
        request_calls(),
    )
    table(
        "Group window job: settles the group's due sessions only (issue 10; measured, not asserted)",
        ("job", "AWS calls", "calls per due session", "s (moto)"),
        group_window_cost(),
    )
    table("Boosts: AWS calls per request (issue 11)", ("step", "calls", "which", "goal"), boost_calls())
    table("Admin console (issue 14): the bundle", ("file", "raw KiB", "gzip KiB", "goal"), bundle_sizes())
    table("Admin console (issue 14): first load in Chromium", ("load", "time", "goal"), first_load())


if __name__ == "__main__":
    main()
