"""Every declared function: runtime, architecture, tracing, logs, layers, environment, and a role that
grants exactly what its declaration asks for."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from infra_cdk.constructs.function_factory import ROOT, STAGING_DIR
from infra_cdk.wiring import (
    CURSOR_SECRET_ENV_VAR,
    FUNCTIONS,
    QUEUES,
    TABLES,
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


def _granted(synthesized: Synthesized, spec: FunctionSpec, service: str) -> dict[str, set[str]]:
    """Logical id -> actions of `service` the function's role may perform on it."""
    granted: dict[str, set[str]] = {}
    for statement in synthesized.role_statements(spec.name):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        for resource in resources:
            owner = _arn_owner(resource)
            for action in actions:
                if action.startswith(f"{service}:") and owner:
                    granted.setdefault(owner, set()).add(action)
    return granted


def test_one_function_per_declaration_each_with_its_own_role(synthesized: Synthesized) -> None:
    functions = synthesized.resources("AWS::Lambda::Function")
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
    assert len(properties["Layers"]) == 2
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
        *(("USER_POOL_ID", "USER_POOL_CLIENT_ID") if spec.uses_user_pool else ()),
        *((USER_POOL.client_secret_env_var,) if spec.calls_app_client else ()),
        *(("WEBSOCKET_MANAGEMENT_ENDPOINT",) if spec.pushes_to_websocket else ()),
        *(("CLOUDFRONT_ORIGIN_SECRET_ID",) if spec.routes else ()),
        *((CURSOR_SECRET_ENV_VAR,) if spec.pages_lists else ()),
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
        assert writes == (WRITE_ACTIONS if access == "write" else set()), name


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
    assert set(sqs) == {queues[name] for name in spec.sends_to} | consumed
    assert {queue for queue, actions in sqs.items() if "sqs:SendMessage" in actions} == {
        queues[name] for name in spec.sends_to
    }
    assert all("sqs:DeleteMessage" in sqs[queue] for queue in consumed)
    pool_id = synthesized.logical_id(synthesized.stack.identity.user_pool)
    cognito = _granted(synthesized, spec, "cognito-idp")
    assert cognito == ({pool_id: set(spec.user_pool_actions)} if spec.user_pool_actions else {})
    can_push = any(
        statement["Action"] == "execute-api:ManageConnections"
        for statement in synthesized.role_statements(spec.name)
    )
    assert can_push == spec.pushes_to_websocket


def test_queue_event_sources_are_exactly_the_declared_ones(synthesized: Synthesized) -> None:
    declared = {
        (
            synthesized.logical_id(synthesized.stack.queues.by_name[source.queue]),
            synthesized.function_id(spec.name),
        ): source.batch_size
        for spec in FUNCTIONS
        for source in spec.queue_sources
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
