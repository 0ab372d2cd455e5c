"""The dependency layer is built from pyproject.toml, without what the Lambda runtime already ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra_cdk.dependency_layer import distribution_name, fingerprint, layer_requirements


@pytest.mark.parametrize(
    ("requirement", "name"),
    [
        ("aws-lambda-powertools[tracer]>=3.20,<4", "aws-lambda-powertools"),
        ("Pydantic_Settings>=2.5", "pydantic-settings"),
        ("python.ulid", "python-ulid"),
        ("boto3", "boto3"),
    ],
)
def test_distribution_name_is_normalised(requirement: str, name: str) -> None:
    assert distribution_name(requirement) == name


def test_runtime_provided_packages_are_left_out(tmp_path: Path) -> None:
    # Given a project that depends on boto3 and botocore among others
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["pynamodb>=6", "boto3>=1.35", "BotoCore", "httpx"]\n')
    # When the layer's requirements are read
    requirements = layer_requirements(pyproject)
    # Then the runtime's own SDK is not installed into the layer
    assert requirements == ["httpx", "pynamodb>=6"]


def test_fingerprint_changes_with_the_requirements() -> None:
    assert fingerprint(["httpx"]) == fingerprint(["httpx"])
    assert fingerprint(["httpx"]) != fingerprint(["httpx<1"])
