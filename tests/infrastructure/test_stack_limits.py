"""What `cdk synth` needs beyond the template's content: CloudFormation's resource and parameter limits (for
the stack and its nested monitoring stack), and a CDK app that imports without any function's environment
(ops synthesize on a machine with no table names set)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.infrastructure.conftest import Synthesized

CLOUDFORMATION_MAX_RESOURCES = 500
CLOUDFORMATION_MAX_PARAMETERS = 200
ROOT = Path(__file__).resolve().parents[2]


def test_each_stack_stays_under_cloudformations_resource_limit_with_room_to_grow(
    synthesized: Synthesized, monitoring: Synthesized
) -> None:
    # Headroom for the next few functions: each adds a role, a policy and a log group to the stack, and an
    # alarm to the monitoring stack.
    assert len(synthesized.template["Resources"]) <= CLOUDFORMATION_MAX_RESOURCES - 30
    assert len(monitoring.template["Resources"]) <= CLOUDFORMATION_MAX_RESOURCES - 30


def test_the_monitoring_stack_stays_under_cloudformations_parameter_limit_with_room_to_grow(
    monitoring: Synthesized,
) -> None:
    # Each function, API and alarmed queue the monitoring stack watches is passed to it as one parameter.
    assert len(monitoring.template["Parameters"]) <= CLOUDFORMATION_MAX_PARAMETERS - 50


def test_the_cdk_app_imports_without_any_function_environment() -> None:
    # Given an environment with none of the variables the functions get (no <NAME>_TABLE_NAME)
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.endswith(("_TABLE_NAME", "_QUEUE_URL", "_SECRET_ID", "_TOPIC_ARN"))
    }
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{ROOT / 'layers/shared/python'}"
    # When the CDK app's modules are imported, as `cdk synth` does
    imported = subprocess.run(
        [sys.executable, "-c", "import infra_cdk.app, infra_cdk.stack"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    # Then nothing asks for a function's settings
    assert imported.returncode == 0, imported.stderr
