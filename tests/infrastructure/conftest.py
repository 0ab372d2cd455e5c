"""The stack, synthesized once per test session (with cdk-nag), and helpers to read its template and its
nested monitoring stack's.

Needs the dependency layers (`make test` builds them first; by hand: `python -m infra_cdk.dependency_layer`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from infra_cdk.app import build_app
from infra_cdk.constructs.naming import logical_id
from infra_cdk.stack import PlatformStack
from infra_cdk.wiring import FUNCTIONS


@dataclass(frozen=True)
class Synthesized:
    stack: PlatformStack
    template: dict[str, Any]
    validation_report: dict[str, Any]

    logical_id = staticmethod(logical_id)

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {
            logical_id: resource
            for logical_id, resource in self.template["Resources"].items()
            if resource["Type"] == resource_type
        }

    def function_id(self, name: str) -> str:
        return self.logical_id(self.stack.functions[name])

    def role_statements(self, name: str) -> list[dict[str, Any]]:
        """Every statement of every policy attached to the function's role."""
        role_id = self.logical_id(self.stack.functions[name].role)  # type: ignore[arg-type]
        return [
            statement
            for policy in self.resources("AWS::IAM::Policy").values()
            if {"Ref": role_id} in policy["Properties"]["Roles"]
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        ]

    def schedule_expressions(self, name: str) -> list[str]:
        """The expressions of the EventBridge rules that invoke the function."""
        function_id = self.function_id(name)
        return [
            rule["Properties"]["ScheduleExpression"]
            for rule in self.resources("AWS::Events::Rule").values()
            for target in rule["Properties"]["Targets"]
            if target["Arn"]["Fn::GetAtt"][0] == function_id
        ]

    def secret_readers(self, secret_id: str) -> set[str]:
        """The declared functions whose role may read the secret with this logical id."""
        return {
            spec.name
            for spec in FUNCTIONS
            if any(
                statement["Resource"] == {"Ref": secret_id}
                and "secretsmanager:GetSecretValue" in statement["Action"]
                for statement in self.role_statements(spec.name)
            )
        }


def with_parameters_resolved(template: Any, parameters: dict[str, Any]) -> Any:
    """The template with each `{"Ref": <parameter>}` replaced by the value the parent stack passes for it."""
    if isinstance(template, dict):
        if template.keys() == {"Ref"} and template["Ref"] in parameters:
            return parameters[template["Ref"]]
        return {key: with_parameters_resolved(value, parameters) for key, value in template.items()}
    if isinstance(template, list):
        return [with_parameters_resolved(value, parameters) for value in template]
    return template


@dataclass(frozen=True)
class Synthesis:
    parent: Synthesized
    monitoring: Synthesized


@pytest.fixture(scope="session")
def synthesis() -> Iterator[Synthesis]:
    # Asset staging copies the dependency layers (70 MB); the template is the same without it.
    app, stack = build_app(App(context={"aws:cdk:disable-asset-staging": True}))
    assembly = app.synth()
    report = json.loads((Path(assembly.directory) / "validation-report.json").read_text())
    parent = Synthesized(
        stack=stack, template=assembly.get_stack_by_name(stack.stack_name).template, validation_report=report
    )
    nested = json.loads((Path(assembly.directory) / stack.monitoring.template_file).read_text())
    (nested_resource,) = parent.resources("AWS::CloudFormation::Stack").values()
    passed = nested_resource["Properties"].get("Parameters", {})
    yield Synthesis(
        parent=parent,
        monitoring=Synthesized(
            stack=stack, template=with_parameters_resolved(nested, passed), validation_report=report
        ),
    )


@pytest.fixture(scope="session")
def synthesized(synthesis: Synthesis) -> Synthesized:
    """The parent stack's template."""
    return synthesis.parent


@pytest.fixture(scope="session")
def monitoring(synthesis: Synthesis) -> Synthesized:
    """The nested monitoring stack's template (the ops topic, the alarms, the dashboards), each parameter
    replaced by what the parent passes, so its references read as the parent's resources."""
    return synthesis.monitoring
