"""The dependency layers are built from pyproject.toml, one per group, without what the Lambda runtime
already ships; every dependency lands in exactly one layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra_cdk.dependency_layer import (
    LAYER_NAMES,
    LAYER_PACKAGES,
    distribution_name,
    fingerprint,
    layer_requirements,
    site_packages,
)
from infra_cdk.wiring import DependencyLayer

MAX_LAYER_BYTES = 40 * 1024 * 1024  # issue 8: each dependency layer at most 40 MB unzipped


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


def test_runtime_provided_packages_are_left_out_and_each_dependency_goes_to_its_layer(tmp_path: Path) -> None:
    # Given a project that depends on boto3 and botocore among others
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["pynamodb>=6", "boto3>=1.35", "BotoCore", "httpx", "twilio>=9"]\n'
    )
    # When the layers' requirements are read
    requirements = layer_requirements(
        pyproject,
        {"core": frozenset({"pynamodb"}), "http": frozenset({"httpx"}), "voice": frozenset({"twilio"})},
    )
    # Then the runtime's own SDK is in none, and every other package in the layer that claims it
    assert requirements == {"core": ["pynamodb>=6"], "http": ["httpx"], "voice": ["twilio>=9"]}


def test_a_dependency_no_layer_claims_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["pynamodb>=6", "requests"]\n')
    with pytest.raises(ValueError, match="requests"):
        layer_requirements(pyproject, {"core": frozenset({"pynamodb"})})


def test_every_project_dependency_is_in_exactly_one_declared_layer() -> None:
    assert set(LAYER_PACKAGES) == set(LAYER_NAMES)
    claimed = [name for names in LAYER_PACKAGES.values() for name in names]
    assert len(claimed) == len(set(claimed))
    assert all(layer_requirements().values())  # no layer is built empty


def test_fingerprint_changes_with_the_requirements() -> None:
    assert fingerprint(["httpx"]) == fingerprint(["httpx"])
    assert fingerprint(["httpx"]) != fingerprint(["httpx<1"])


@pytest.mark.parametrize("layer", LAYER_NAMES)
def test_each_built_layer_is_at_most_40_mb_unzipped(layer: DependencyLayer) -> None:
    # Given the layers `make layer` built (the infrastructure tests need them too)
    files = [path for path in site_packages(layer).rglob("*") if path.is_file()]
    # Then each one, unzipped as Lambda extracts it, stays within the goal
    assert files
    assert sum(path.stat().st_size for path in files) <= MAX_LAYER_BYTES
