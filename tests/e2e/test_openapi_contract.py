"""Property-based contract test: every documented operation, fed generated requests (valid and invalid),
never answers 5xx and answers only what /openapi.json declares for it, under every schemathesis check
(status code, content type, headers, body schema, negative data rejected, auth not ignored, ...).
The `default` response is left out of the check, so an undeclared status fails it; and each operation must
answer a success at least once, so its success schema is checked too.

Each run draws a new seed (printed, and named in any failure; `CONTRACT_SEED=<seed>` replays it) and
sends EXAMPLES_PER_OPERATION requests per operation and mode. Every request comes from its own viewer
address (CloudFront's header, which the local gateway trusts), so per-IP limits never mask a response.
DELETE /v1/me would erase the user behind the shared token mid-run; it has its own e2e test."""

from __future__ import annotations

import os
import random
from collections import defaultdict
from collections.abc import Callable
from ipaddress import IPv4Address
from itertools import count
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS as ALL_CHECKS
from schemathesis.core.failures import FailureGroup
from schemathesis.schemas import APIOperation

from local_runtime.captcha import PASSING_TOKEN
from tests.e2e.conftest import Runtime, device_of, registered_user, viewer_address

# `make test` sends 50 per operation and mode (a new seed each run); `make fuzz` sends 1,000.
EXAMPLES_PER_OPERATION = int(os.environ.get("CONTRACT_EXAMPLES", "50"))
# The operations are dealt into this many tests per mode, so xdist runs them side by side and none nears
# the per-test timeout as routes are added.
CONTRACT_PARTS = 3
# Admin routes answer the contract's (plain) user 403 once its request is valid, so past validation every
# example checks the same answer; their successes and validation are the integration tests'.
ADMIN_EXAMPLES_PER_OPERATION = 20
CHECKS = ALL_CHECKS.get_all()
# schemathesis' default is 10 s: a loaded 2-core CI machine running two runtimes beside the tests can pass it
# (the runtime's own per-request limit is the function's timeout).
RESPONSE_TIMEOUT_SECONDS = 30
# Viewer addresses from the benchmarking range (198.18.0.0/15): 131,072 distinct clients.
FIRST_VIEWER = IPv4Address("198.18.0.1")
ADMIN_PREFIX = "/v1/admin/"
PARTIES_ONLY = frozenset({"GET /v1/calls/{id}"})
# The contract's user has not passed KYC: a withdrawal is answered 403 `kyc_required`, so it has none to
# read (successes are checked in tests/integration/test_withdrawals.py and tests/e2e/test_withdrawals_e2e.py).
NEEDS_VERIFIED_KYC = frozenset({"POST /v1/wallet/withdrawals", "GET /v1/wallet/withdrawals/{id}"})
# Third parties' signed callbacks: no generated request carries a valid signature (their successes are
# checked in tests/integration and tests/e2e).
WEBHOOK_PREFIX = "/webhooks/"
CONTRACT_USER = "contract@example.com"
PASSWORD = "Correct-Horse-9-Battery"
# The shared token's own device: a login from any other would end its session mid-run.
DEVICE = {"device_id": device_of(CONTRACT_USER)}


@pytest.fixture(scope="module")
def token(runtime: Runtime) -> str:
    with runtime.client() as api:
        return registered_user(api, CONTRACT_USER, PASSWORD)


def declared_contract(runtime: Runtime) -> Any:
    """/openapi.json without its `default` responses (the gateway adds one to every operation, which
    would let any status pass), minus the operation that erases the shared user."""
    document = httpx.get(f"{runtime.url}/openapi.json").json()
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("default")
    return schemathesis.openapi.from_dict(document).exclude(method="DELETE", path="/v1/me")


fresh_numbers = count(1)
viewer_numbers = count()


def from_a_new_viewer() -> dict[str, str]:
    return {"CloudFront-Viewer-Address": f"{FIRST_VIEWER + next(viewer_numbers)}:443"}


@pytest.fixture(scope="module")
def run_seed() -> int:
    chosen = int(os.environ.get("CONTRACT_SEED") or random.SystemRandom().randrange(2**32))
    print(f"schemathesis contract run: CONTRACT_SEED={chosen}")
    return chosen


def fresh_sign_up() -> dict[str, Any]:
    number = next(fresh_numbers)
    return {
        "email": f"contract-{number}@example.com",
        "password": PASSWORD,
        "name": "Contract",
        "device_id": f"contract-device-{number + 1:04d}",
    }


def unconfirmed_user(api: httpx.Client) -> dict[str, Any]:
    sign_up = fresh_sign_up()
    assert api.post("/v1/auth/signup", json=sign_up).status_code == 201
    code = next(
        message["payload"]["code"]
        for message in api.get("/_local/outbox", params={"to": sign_up["email"]}).json()["items"]
        if "code" in message["payload"]
    )
    return {"username": sign_up["email"], "code": code}


def refresh_token(api: httpx.Client) -> dict[str, Any]:
    login = api.post("/v1/auth/login", json={"username": CONTRACT_USER, "password": PASSWORD, **DEVICE})
    return {"refresh_token": login.json()["refresh_token"]}


def uploaded_document(api: httpx.Client) -> dict[str, Any]:
    """A PAN the contract user uploaded through the presigned POST form."""
    login = api.post("/v1/auth/login", json={"username": CONTRACT_USER, "password": PASSWORD, **DEVICE})
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    request = {"doc_type": "PAN", "content_type": "image/png", "content_length": 8}
    form = api.post("/v1/kyc/uploads", json=request, headers=auth).json()
    upload = httpx.post(
        form["url"], data=form["fields"], files={"file": ("pan", b"\x89PNG\r\n\x1a\n", "image/png")}
    )
    assert upload.status_code == 204, upload.text
    return {"doc_type": "PAN", "doc_number": "ABCPE1234F", "document_key": form["key"]}


# Valid requests the generator cannot invent (a fresh email, a code from the outbox, a live token, the
# CAPTCHA provider's test token the local siteverify accepts).
KNOWN_GOOD_BODIES: dict[str, Callable[[httpx.Client], dict[str, Any]]] = {
    "POST /v1/auth/signup": lambda _: fresh_sign_up(),
    "POST /v1/auth/confirm": unconfirmed_user,
    "POST /v1/auth/login": lambda _: {"username": CONTRACT_USER, "password": PASSWORD, **DEVICE},
    "POST /v1/auth/refresh": refresh_token,
    "POST /v1/kyc/submissions": uploaded_document,
    "POST /v1/captcha/verify": lambda _: {"token": PASSING_TOKEN},
}


def pending_task(api: httpx.Client) -> dict[str, str]:
    """One of today's AD tasks not started yet (the caller's token in `api`)."""
    tasks = api.get("/v1/tasks/today").json()["items"]
    return {"id": next(t["id"] for t in tasks if t["type"] == "AD" and t["status"] == "PENDING")}


def start_case(api: httpx.Client) -> dict[str, Any]:
    return {"path_parameters": pending_task(api)}


def complete_case(api: httpx.Client) -> dict[str, Any]:
    """An AD task started and then left its minimum time (the local clock moves; AD takes no answer)."""
    task = pending_task(api)
    assert api.post(f"/v1/tasks/{task['id']}/start").status_code == 200
    assert api.post("/_local/clock", json={"advance_seconds": 60}).status_code == 200
    return {"path_parameters": task, "body": {}}


def contract_user_auth(api: httpx.Client) -> dict[str, str]:
    login = api.post("/v1/auth/login", json={"username": CONTRACT_USER, "password": PASSWORD, **DEVICE})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def issued_impression(api: httpx.Client) -> str:
    issued = api.post("/v1/ads/impressions", json={"placement": "MINING"}, headers=contract_user_auth(api))
    return str(issued.json()["impression_id"])


def watched_impression(api: httpx.Client) -> dict[str, Any]:
    impression_id = issued_impression(api)
    assert api.post("/_local/clock", json={"advance_seconds": 60}).status_code == 200
    return {"path_parameters": {"id": impression_id}}


def admob_callback(api: httpx.Client) -> dict[str, Any]:
    """A callback AdMob signed (the runtime's signing control sends it once; this is its retry)."""
    sent = api.post("/_local/admob/rewards", json={"impression_id": issued_impression(api)}).json()
    return {"query": dict(parse_qsl(sent["query"]))}


# Requests beyond a body the generator cannot invent: ids the server made for the caller, a watched ad,
# AdMob's signature.
KNOWN_GOOD_CASES: dict[str, Callable[[httpx.Client], dict[str, Any]]] = {
    "POST /v1/tasks/{id}/start": start_case,
    "POST /v1/tasks/{id}/complete": complete_case,
    "POST /v1/ads/impressions/{id}/complete": watched_impression,
    "GET /webhooks/admob/ssv": admob_callback,
}
# Their success needs state no single request creates: a mining start needs the user's group window open
# (hours away on the shared clock); tests/e2e/test_mining_e2e.py checks its 201. Boosts need a running
# mining session (the same window) and a boost of the caller's; tests/e2e/test_boosts_e2e.py checks them.
SUCCESS_CHECKED_ELSEWHERE = {
    "POST /v1/mining/sessions",
    "POST /v1/boosts",
    "POST /v1/boosts/{id}/question",
    "POST /v1/boosts/{id}/answer",
}


@pytest.mark.parametrize("part", range(CONTRACT_PARTS))
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_documented_contract(
    runtime: Runtime, token: str, run_seed: int, mode: GenerationMode, part: int
) -> None:
    # One hypothesis run per operation (schemathesis' lazy pytest fixture does not support pytest 9).
    every_operation = sorted(
        (result.ok() for result in declared_contract(runtime).get_all_operations()),
        key=lambda operation: operation.label,
    )
    operations: list[APIOperation] = every_operation[part::CONTRACT_PARTS]
    assert operations
    headers = {"Authorization": f"Bearer {token}"}
    statuses: dict[str, list[int]] = defaultdict(list)

    def keeps_its_contract(case: Any) -> None:
        request_headers = {**headers, **from_a_new_viewer()}
        response = case.call(base_url=runtime.url, headers=request_headers, timeout=RESPONSE_TIMEOUT_SECONDS)
        statuses[case.operation.label].append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=request_headers)

    broken: dict[str, str] = {}
    for operation in operations:
        # Each operation's requests come from their own viewer: together they exceed the per-IP limit.
        headers["CloudFront-Viewer-Address"] = viewer_address()
        admin_only = operation.path.startswith(ADMIN_PREFIX)
        run = settings(
            max_examples=ADMIN_EXAMPLES_PER_OPERATION if admin_only else EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(seed(run_seed)(given(case=operation.as_strategy(generation_mode=mode))(keeps_its_contract)))
        try:
            run()
            if mode is GenerationMode.POSITIVE and operation.label in KNOWN_GOOD_BODIES:
                with runtime.client() as api:
                    keeps_its_contract(operation.Case(body=KNOWN_GOOD_BODIES[operation.label](api)))
            if mode is GenerationMode.POSITIVE and operation.label in KNOWN_GOOD_CASES:
                with runtime.client() as api:
                    api.headers.update(headers)
                    keeps_its_contract(operation.Case(**KNOWN_GOOD_CASES[operation.label](api)))
        except (AssertionError, Unsatisfiable, FailureGroup) as failure:
            broken[operation.label] = str(failure)
    print(f"{mode.value}: requests per operation", {label: len(sent) for label, sent in statuses.items()})
    assert not broken, f"CONTRACT_SEED={run_seed}\n" + "\n\n".join(
        f"{label}:\n{failure}" for label, failure in broken.items()
    )
    if mode is GenerationMode.POSITIVE:
        never_succeeded = {
            operation.label: sorted(set(statuses[operation.label]))
            for operation in operations
            if not any(200 <= status < 300 for status in statuses[operation.label])
            # The contract's user is no admin: admin routes must answer it 403 (their successes are
            # checked in tests/integration/test_admin_users.py).
            and not operation.path.startswith((ADMIN_PREFIX, WEBHOOK_PREFIX))
            # Nor a party to any call: one call answers it 404 (tests/integration/test_calls.py).
            and operation.label not in PARTIES_ONLY
            and operation.label not in NEEDS_VERIFIED_KYC
            and operation.label not in SUCCESS_CHECKED_ELSEWHERE
        }
        assert not never_succeeded, f"operations whose success response was never checked: {never_succeeded}"


def test_the_document_describes_every_declared_route(api: httpx.Client) -> None:
    document = api.get("/openapi.json").json()
    undocumented = document["info"].get("x-undocumented-modules", [])
    assert undocumented == [], f"handlers whose OpenAPI document cannot be generated: {undocumented}"
