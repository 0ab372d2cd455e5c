"""Every declared function: runtime, architecture, tracing, logs, layers, environment, and a role that
grants exactly what its declaration asks for."""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Callable, Iterator
from importlib.metadata import packages_distributions, requires
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from infra_cdk.constructs.function_factory import ROOT, STAGING_DIR
from infra_cdk.dependency_layer import LAYER_PACKAGES, RUNTIME_PROVIDED, distribution_name
from infra_cdk.wiring import (
    BUCKETS,
    CAPTCHA_SECRET_ENV_VAR,
    CURSOR_SECRET_ENV_VAR,
    FUNCTIONS,
    KYC_PROVIDER_SECRET_ENV_VAR,
    PAYOUT_KEY_ENV_VAR,
    QUEUES,
    TABLES,
    TOPICS,
    TWILIO_SECRET_ENV_VAR,
    USER_POOL,
    FunctionSpec,
    function,
)
from tests.infrastructure.conftest import Synthesized

each_function = pytest.mark.parametrize("spec", FUNCTIONS, ids=lambda spec: spec.name)
WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


def _function(synthesized: Synthesized, spec: FunctionSpec) -> dict[str, Any]:
    return synthesized.template["Resources"][synthesized.function_id(spec.name)]["Properties"]


def _arn_owner(resource: Any) -> str | None:
    """The logical id a policy resource points at: `<id>.Arn` or `<id>.Arn/index/*`."""
    if isinstance(resource, dict) and "Fn::GetAtt" in resource:
        return str(resource["Fn::GetAtt"][0])
    if isinstance(resource, dict) and "Fn::Join" in resource:
        return _arn_owner(resource["Fn::Join"][1][0])
    return None


def _actions(statement: dict[str, Any]) -> list[str]:
    return statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]


def _resources(statement: dict[str, Any]) -> list[Any]:
    return statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]


def _granted(synthesized: Synthesized, spec: FunctionSpec, service: str) -> dict[str, set[str]]:
    """Logical id -> actions of `service` the function's role may perform on it."""
    granted: dict[str, set[str]] = {}
    for statement in synthesized.role_statements(spec.name):
        actions = _actions(statement)
        for resource in _resources(statement):
            owner = _arn_owner(resource)
            for action in actions:
                if action.startswith(f"{service}:") and owner:
                    granted.setdefault(owner, set()).add(action)
    return granted


def test_one_function_per_declaration_each_with_its_own_role(synthesized: Synthesized) -> None:
    # Besides CDK's own handler behind the admin console's uploads, which runs only while deploying.
    deployment_handlers = {
        deployment["Properties"]["ServiceToken"]["Fn::GetAtt"][0]
        for deployment in synthesized.resources("Custom::CDKBucketDeployment").values()
    }
    functions = {
        logical_id: function
        for logical_id, function in synthesized.resources("AWS::Lambda::Function").items()
        if logical_id not in deployment_handlers
    }
    assert len(deployment_handlers) == 1
    assert set(functions) == {synthesized.function_id(spec.name) for spec in FUNCTIONS}
    roles = [function["Properties"]["Role"]["Fn::GetAtt"][0] for function in functions.values()]
    assert len(set(roles)) == len(FUNCTIONS)


@each_function
def test_function_runs_python_312_on_arm64_traced_with_both_layers(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    properties = _function(synthesized, spec)
    assert properties["Runtime"] == "python3.12"
    assert properties["Architectures"] == ["arm64"]
    assert properties["TracingConfig"] == {"Mode": "Active"}
    assert properties["Handler"] == spec.handler
    assert properties["MemorySize"] == spec.memory_mb
    assert properties["Timeout"] == spec.timeout_seconds
    assert len(properties["Layers"]) == 1 + len(spec.layers)  # the shared code and its dependency layers
    log_group_id = properties["LoggingConfig"]["LogGroup"]["Ref"]
    assert synthesized.template["Resources"][log_group_id]["Properties"]["RetentionInDays"] > 0


@each_function
def test_function_environment_names_exactly_its_resources(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    variables = _function(synthesized, spec)["Environment"]["Variables"]
    expected = {
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        *(t.env_var for t in TABLES if t.name in spec.tables),
        *(q.env_var for q in QUEUES if q.name in spec.sends_to),
        *(t.env_var for t in TOPICS if t.name in spec.publishes_to),
        *(("USER_POOL_ID", "USER_POOL_CLIENT_ID") if spec.uses_user_pool else ()),
        *((USER_POOL.client_secret_env_var,) if spec.calls_app_client else ()),
        *(("WEBSOCKET_MANAGEMENT_ENDPOINT",) if spec.pushes_to_websocket else ()),
        *(("CLOUDFRONT_ORIGIN_SECRET_ID",) if spec.routes else ()),
        *((CURSOR_SECRET_ENV_VAR,) if spec.pages_lists else ()),
        *((CAPTCHA_SECRET_ENV_VAR,) if spec.verifies_captcha else ()),
        *((TWILIO_SECRET_ENV_VAR,) if spec.reads_twilio_secret else ()),
        *(b.env_var for b in BUCKETS if b.name in spec.buckets),
        *((KYC_PROVIDER_SECRET_ENV_VAR,) if spec.uses_kyc_provider else ()),
        *((PAYOUT_KEY_ENV_VAR,) if spec.payout_key else ()),
        *spec.settings,
    }
    assert set(variables) == expected
    assert variables["POWERTOOLS_SERVICE_NAME"] == spec.name
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "TWTC"


@each_function
def test_role_reaches_only_the_declared_tables_writing_only_where_declared(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    tables = {name: synthesized.logical_id(table) for name, table in synthesized.stack.tables.by_name.items()}
    granted = _granted(synthesized, spec, "dynamodb")
    assert set(granted) == {tables[name] for name in spec.tables}
    for name, access in spec.tables.items():
        writes = granted[tables[name]] & WRITE_ACTIONS
        expected = WRITE_ACTIONS if access == "write" else set()
        if name in spec.puts_only_keys:
            expected = expected | {"dynamodb:PutItem"}
        assert writes == expected, name


def test_reconciliation_reads_the_ledger_and_puts_only_its_own_checkpoint(synthesized: Synthesized) -> None:
    # The auditor of the ledger must never be able to change money: its one write is its run's state.
    ledger_id = synthesized.logical_id(synthesized.stack.tables.by_name["ledger"])
    writes = [
        statement
        for statement in synthesized.role_statements("reconcile")
        if set(_actions(statement)) & WRITE_ACTIONS
        and any(ledger_id in str(resource) for resource in _resources(statement))
    ]
    assert [(_actions(s), s.get("Condition")) for s in writes] == [
        (["dynamodb:PutItem"], {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["RECONCILE#*"]}})
    ]


def test_wallet_reads_the_ledger_but_cannot_write_it(synthesized: Synthesized) -> None:
    wallet = function("wallet")
    ledger_id = synthesized.logical_id(synthesized.stack.tables.by_name["ledger"])
    actions = _granted(synthesized, wallet, "dynamodb")[ledger_id]
    assert {"dynamodb:GetItem", "dynamodb:Query"} <= actions
    assert not actions & WRITE_ACTIONS


@each_function
def test_role_uses_only_declared_queues_and_calls_only_declared_cognito_actions(
    synthesized: Synthesized, spec: FunctionSpec
) -> None:
    queues = {name: synthesized.logical_id(queue) for name, queue in synthesized.stack.queues.by_name.items()}
    sqs = _granted(synthesized, spec, "sqs")
    consumed = {queues[source.queue] for source in spec.queue_sources}
    # a stream source sends the records it gave up on to its failure queue, as the function's role
    failures = {
        synthesized.logical_id(synthesized.stack.tables.stream_failures[spec.name, source.table])
        for source in spec.stream_sources
    }
    assert set(sqs) == {queues[name] for name in spec.sends_to} | consumed | failures
    assert {queue for queue, actions in sqs.items() if "sqs:SendMessage" in actions} == {
        queues[name] for name in spec.sends_to
    } | failures
    assert all("sqs:DeleteMessage" in sqs[queue] for queue in consumed)
    pool_id = synthesized.logical_id(synthesized.stack.identity.user_pool)
    cognito = _granted(synthesized, spec, "cognito-idp")
    assert cognito == ({pool_id: set(spec.user_pool_actions)} if spec.user_pool_actions else {})
    can_push = any(
        statement["Action"] == "execute-api:ManageConnections"
        for statement in synthesized.role_statements(spec.name)
    )
    assert can_push == spec.pushes_to_websocket


def test_queue_and_stream_event_sources_are_exactly_the_declared_ones(synthesized: Synthesized) -> None:
    declared = {
        (
            synthesized.logical_id(synthesized.stack.queues.by_name[source.queue]),
            synthesized.function_id(spec.name),
        ): source.batch_size
        for spec in FUNCTIONS
        for source in spec.queue_sources
    } | {
        (
            synthesized.logical_id(synthesized.stack.tables.by_name[stream.table]),
            synthesized.function_id(spec.name),
        ): stream.batch_size
        for spec in FUNCTIONS
        for stream in spec.stream_sources
    }
    mappings = synthesized.resources("AWS::Lambda::EventSourceMapping").values()
    assert {
        (m["Properties"]["EventSourceArn"]["Fn::GetAtt"][0], m["Properties"]["FunctionName"]["Ref"]): m[
            "Properties"
        ]["BatchSize"]
        for m in mappings
    } == declared
    assert all(m["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for m in mappings)


def test_schedules_are_exactly_the_declared_ones(synthesized: Synthesized) -> None:
    declared = {
        (schedule.expression, synthesized.function_id(spec.name))
        for spec in FUNCTIONS
        for schedule in spec.schedules
    }
    rules = synthesized.resources("AWS::Events::Rule").values()
    assert {
        (rule["Properties"]["ScheduleExpression"], target["Arn"]["Fn::GetAtt"][0])
        for rule in rules
        for target in rule["Properties"]["Targets"]
    } == declared


@each_function
def test_code_asset_holds_only_the_handler_package(synthesized: Synthesized, spec: FunctionSpec) -> None:
    staged = STAGING_DIR / spec.name / "functions"
    package = spec.module.split(".")[1]
    assert sorted(path.name for path in staged.iterdir()) == sorted(["__init__.py", package])


@each_function
def test_handler_package_imports_no_other_function_package(spec: FunctionSpec) -> None:
    # The code asset holds only the handler's own package: shared code belongs in the twtc_core layer.
    package = spec.module.split(".")[1]
    imported: set[str] = set()
    for source in (ROOT / "functions" / package).rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    other_packages = {name.split(".")[1] for name in imported if name.startswith("functions.")} - {package}
    assert not other_packages


# Shared code that imports a package inside a function, on a path only some functions take: which ones.
LAZY_SHARED_IMPORTS: dict[tuple[str, str], Callable[[FunctionSpec], bool]] = {
    # The cursor cipher: only functions given the cursor key (pages_lists) ever seal or open a cursor.
    ("twtc_core.pagination", "cryptography"): lambda spec: spec.pages_lists,
}
SOURCE_ROOTS = (ROOT, ROOT / "layers" / "shared" / "python")
FIRST_PARTY = ("functions", "twtc_core")


def _source(module: str) -> Path | None:
    for root in SOURCE_ROOTS:
        path = root.joinpath(*module.split("."))
        for candidate in (path / "__init__.py", path.with_suffix(".py")):
            if candidate.is_file():
                return candidate
    return None


def _imports(tree: ast.Module) -> Iterator[tuple[str, bool]]:
    """(module, imported inside a function) for every import outside `if TYPE_CHECKING:`; for `from M
    import N` both M and M.N (N may be a submodule)."""

    def visit(node: ast.AST, lazy: bool) -> Iterator[tuple[str, bool]]:
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            return
        if isinstance(node, ast.Import):
            yield from ((alias.name, lazy) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, lazy
            yield from ((f"{node.module}.{alias.name}", lazy) for alias in node.names)
        inside = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inside)

    yield from visit(tree, False)


@functools.cache  # every function's walk reads the shared modules again
def _imports_of(source: Path) -> tuple[tuple[str, bool], ...]:
    return tuple(_imports(ast.parse(source.read_text())))


def _third_party_imports(spec: FunctionSpec) -> set[tuple[str, str, bool]]:
    """(importing module, top-level package, lazily) over every first-party module the handler can reach."""
    seen: set[str] = set()
    pending = [spec.module]
    found: set[tuple[str, str, bool]] = set()
    while pending:
        module = pending.pop()
        parts = module.split(".")
        for parent in (".".join(parts[:i]) for i in range(1, len(parts) + 1)):
            source = _source(parent)
            if parent in seen or source is None:
                continue
            seen.add(parent)
            for name, lazy in _imports_of(source):
                top = name.split(".")[0]
                if top in FIRST_PARTY:
                    pending.append(name)
                elif top not in sys.stdlib_module_names and top != "__future__":
                    found.add((parent, top, lazy))
    return found


def _applies(requirement: str) -> bool:
    """A requirement this interpreter installs: not an extra's, and its environment marker holds (aiohttp
    wants async-timeout only before Python 3.11)."""
    parsed = Requirement(requirement)
    return parsed.marker is None or parsed.marker.evaluate({"extra": ""})


@functools.cache  # reading every installed distribution's metadata takes a second or so
def _layer_of(package: str) -> str | None:
    """The dependency layer holding an importable package (None: the Lambda runtime provides it)."""
    distributions = {distribution_name(name) for name in packages_distributions()[package]}
    if distributions & RUNTIME_PROVIDED:
        return None
    for layer, names in LAYER_PACKAGES.items():
        closure, pending = set(), list(names)
        while pending:  # what the layer's requirements pull in: pydantic brings pydantic-core
            name = pending.pop()
            if name not in closure:
                closure.add(name)
                pending += [distribution_name(req) for req in requires(name) or () if _applies(req)]
        if distributions & closure:
            return layer
    raise AssertionError(f"{package} ({distributions}) is in no dependency layer")


@each_function
def test_function_attaches_exactly_the_dependency_layers_its_code_imports(spec: FunctionSpec) -> None:
    own_package = spec.module.rsplit(".", 1)[0]
    needed = {"core"}
    for module, package, lazy in _third_party_imports(spec):
        if lazy and not module.startswith(own_package):
            rule = LAZY_SHARED_IMPORTS.get((module, package))
            assert rule is not None, (
                f"{module} imports {package} lazily: say in LAZY_SHARED_IMPORTS who needs it"
            )
            if not rule(spec):
                continue
        layer = _layer_of(package)
        if layer is not None:
            needed.add(layer)
    assert set(spec.layers) == needed
    assert len(spec.layers) == len(set(spec.layers))


def test_functions_that_page_attach_the_cursor_cipher_layer() -> None:
    # Besides them, only the AdMob callback verifies signatures (ECDSA) with the same package.
    assert [spec.name for spec in FUNCTIONS if spec.pages_lists or spec.name == "admob_ssv"] == [
        spec.name for spec in FUNCTIONS if "crypto" in spec.layers
    ]
