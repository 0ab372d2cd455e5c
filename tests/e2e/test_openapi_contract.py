"""Property-based contract test: every documented operation, fed generated requests (valid and invalid),
never answers 5xx and always answers what /openapi.json promises (status, content type, body schema)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import Runtime, registered_user

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def token(runtime: Runtime) -> str:
    with runtime.client() as api:
        return registered_user(api, "contract@example.com")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_documented_contract(runtime: Runtime, token: str, mode: GenerationMode) -> None:
    # One hypothesis run per operation (schemathesis' lazy pytest fixture does not support pytest 9).
    schema = schemathesis.openapi.from_url(f"{runtime.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations

    broken: dict[str, str] = {}
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def keeps_its_contract(case: Any) -> None:
            case.call_and_validate(
                base_url=runtime.url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS
            )

        try:
            keeps_its_contract()
        except (AssertionError, Unsatisfiable, FailureGroup) as failure:
            broken[operation.label] = str(failure)
    assert not broken, "\n\n".join(f"{label}:\n{failure}" for label, failure in broken.items())


def test_the_document_describes_every_declared_route(api: httpx.Client) -> None:
    document = api.get("/openapi.json").json()
    undocumented = document["info"].get("x-undocumented-modules", [])
    assert undocumented == [], f"handlers whose OpenAPI document cannot be generated: {undocumented}"
