"""The OpenAPI document is only right if real tooling can use it: a typed Python client generated with
openapi-python-client drives a new user's journey against the local runtime, and openapi-typescript turns
the same document into TypeScript types without a warning. Each client is generated once per session.

The journey is a list of steps; a new route joins it with one line (`Call("<tag>", "<operationId>",
"<response model>")`)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ROOT, Runtime, device_of, viewer_address

PACKAGE = "twtc_generated_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
OPENAPI_TYPESCRIPT = ROOT / "node_modules/.bin/openapi-typescript"
TYPESCRIPT = ROOT / "node_modules/.bin/tsc"
# No post-generation hooks: the generated code is imported, never committed, so it needs no formatter.
GENERATOR_CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"
GENERATION_TIMEOUT_SECONDS = 120


@pytest.fixture(scope="session")
def openapi_file(runtime: Runtime, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_bytes(httpx.get(f"{runtime.url}/openapi.json").content)
    return path


def generate(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=GENERATION_TIMEOUT_SECONDS, check=False
    )


@pytest.fixture(scope="session")
def generated_client(openapi_file: Path) -> Iterator[ModuleType]:
    """The generated package, imported; removed from the interpreter afterwards."""
    workdir = openapi_file.parent
    config = workdir / "generator.yaml"
    config.write_text(GENERATOR_CONFIG)
    output = workdir / PACKAGE
    command = [str(GENERATOR), "generate", "--path", str(openapi_file), "--meta", "none"]
    run = generate([*command, "--output-path", str(output), "--config", str(config)], workdir)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(workdir))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(workdir))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@dataclass
class Journey:
    """One new user, driven through the generated client as an app would."""

    client: ModuleType
    base_url: str
    email: str
    password: str = "Correct-Horse-9-Battery"
    viewer: dict[str, str] = field(default_factory=lambda: {"CloudFront-Viewer-Address": viewer_address()})
    token: str | None = None

    def operation(self, tag: str, operation_id: str) -> Any:
        return importlib.import_module(f"{self.client.__name__}.api.{tag}.{operation_id}")

    def model(self, name: str) -> Any:
        return getattr(importlib.import_module(f"{self.client.__name__}.models"), name)

    def public(self) -> Any:
        return self.client.Client(base_url=self.base_url, headers=self.viewer)

    def signed_in(self) -> Any:
        assert self.token, "log in first"
        return self.client.AuthenticatedClient(base_url=self.base_url, token=self.token, headers=self.viewer)

    def local(self) -> httpx.Client:
        """The runtime's local controls (not part of the API, so not in the generated client)."""
        return httpx.Client(base_url=self.base_url, headers=self.viewer, timeout=30)


Step = Callable[[Journey], None]


def sign_up(journey: Journey) -> None:
    body = journey.model("SignupIn")(
        email=journey.email, password=journey.password, name="Generated", device_id=device_of(journey.email)
    )
    answer = journey.operation("auth", "sign_up").sync_detailed(client=journey.public(), body=body)
    assert answer.status_code == 201, answer.content
    assert isinstance(answer.parsed, journey.model("SignupOut")) and answer.parsed.confirmation_required


def confirm(journey: Journey) -> None:
    with journey.local() as local:
        outbox = local.get("/_local/outbox", params={"to": journey.email}).json()["items"]
        code = next(message["payload"]["code"] for message in outbox if "code" in message["payload"])
        body = journey.model("ConfirmIn")(username=journey.email, code=code)
        answer = journey.operation("auth", "confirm").sync_detailed(client=journey.public(), body=body)
        assert answer.status_code == 200, answer.content
        # The confirmation queued the account's provisioning: deliver it now rather than wait for the poller.
        assert local.post("/_local/queues/provisioning/drain").status_code == 200


def log_in(journey: Journey) -> None:
    body = journey.model("LoginIn")(
        username=journey.email, password=journey.password, device_id=device_of(journey.email)
    )
    tokens = journey.operation("auth", "log_in").sync(client=journey.public(), body=body)
    assert isinstance(tokens, journey.model("TokensOut")), tokens
    journey.token = tokens.access_token


@dataclass(frozen=True)
class Call:
    """A signed-in GET through the generated client answering the named model."""

    tag: str
    operation_id: str
    model: str

    def __call__(self, journey: Journey) -> None:
        answer = journey.operation(self.tag, self.operation_id).sync_detailed(client=journey.signed_in())
        assert answer.status_code == 200, f"{self.operation_id}: {answer.status_code} {answer.content!r}"
        assert isinstance(answer.parsed, journey.model(self.model)), answer.parsed


JOURNEY: list[Step] = [
    sign_up,
    confirm,
    log_in,
    Call("profile", "get_profile", "ProfileOut"),
    Call("wallet", "get_wallet", "WalletOut"),
    Call("wallet", "list_transactions", "TransactionPageOut"),
    Call("referrals", "my_referrals", "ReferralsOut"),
    Call("mining", "status", "MiningOut"),
    Call("tasks", "list_todays_tasks", "TodayOut"),
]


def test_a_new_user_gets_from_sign_up_to_their_transactions_through_the_generated_client(
    generated_client: ModuleType, runtime: Runtime
) -> None:
    journey = Journey(generated_client, runtime.url, email="generated-client@example.com")
    for step in JOURNEY:
        step(journey)
    transactions = journey.operation("wallet", "list_transactions").sync(client=journey.signed_in())
    assert [entry.type_.value for entry in transactions.items] == ["SIGNUP_BONUS"]


def test_every_generated_module_compiles_without_a_warning(generated_client: ModuleType) -> None:
    # Given the generated package's sources (a warning there is a mis-rendered schema, e.g. `!= 2and`)
    package = Path(str(generated_client.__file__)).parent
    # When each is compiled with warnings as errors, then none fails
    refused = {}
    for source in sorted(package.rglob("*.py")):
        with warnings.catch_warnings():
            # What the compiler warns with (3.11 still says DeprecationWarning for an invalid escape)
            warnings.simplefilter("error", SyntaxWarning)
            warnings.simplefilter("error", DeprecationWarning)
            try:
                compile(source.read_text(), str(source), "exec")
            except (SyntaxError, Warning) as problem:
                refused[str(source.relative_to(package))] = str(problem)
    assert refused == {}
    assert (package / "models" / "wallet_out.py").exists()  # the package is the one the journey drives


def test_the_typescript_types_generate_without_warnings_and_compile(openapi_file: Path) -> None:
    types = openapi_file.with_name("api.d.ts")
    run = generate([str(OPENAPI_TYPESCRIPT), str(openapi_file), "-o", str(types)], openapi_file.parent)
    assert (run.returncode, run.stderr) == (0, ""), run.stdout + run.stderr
    assert "export interface operations" in types.read_text()
    compiled = generate([str(TYPESCRIPT), "--noEmit", "--strict", str(types)], openapi_file.parent)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    # And the admin console is built against exactly these types: an API change it has not seen fails here
    console_types = ROOT / "admin_console/src/api/schema.d.ts"
    assert types.read_text() == console_types.read_text(), (
        "The API changed: with `make dev` running, regenerate the console's types with "
        "`node_modules/.bin/openapi-typescript http://127.0.0.1:3000/openapi.json "
        "-o admin_console/src/api/schema.d.ts` and rebuild the console (make admin-console)."
    )
