"""The documents client developers build from, as served: `/openapi.json` (valid OpenAPI, one error schema,
every body with an example that fits it, every operation tagged and named, its error codes listed, no
422 where nothing can be invalid) and `/asyncapi.json` (every WebSocket message, with examples that fit).

These hold every route the wiring declares, so a new route meets the same bar."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from tests.e2e.conftest import Runtime
from twtc_core.push_messages import CLIENT_MESSAGES, SERVER_MESSAGES
from twtc_core.wallet_views import WALLET_EXAMPLE

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
JSON = "application/json"
OPERATION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
REF = re.compile(r'"\$ref":\s*"#/components/schemas/([^"]+)"')


@pytest.fixture(scope="module")
def document(runtime: Runtime) -> dict[str, Any]:
    return dict(httpx.get(f"{runtime.url}/openapi.json").json())


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, by_method in document["paths"].items():
        for method, operation in by_method.items():
            yield f"{method.upper()} {path}", operation


def fits(document: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """What is wrong with the instance under the schema (its $refs resolved in the document)."""
    validator = Draft202012Validator({**schema, "components": document["components"]})
    return [error.message for error in validator.iter_errors(instance)]


def bodies(operation: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    request = operation.get("requestBody", {}).get("content", {}).get(JSON)
    if request:
        yield "request", request["schema"]
    for status, response in operation["responses"].items():
        if JSON in response.get("content", {}):
            yield status, response["content"][JSON]["schema"]


def test_the_document_passes_the_openapi_validator(document: dict[str, Any]) -> None:
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema, dangling $refs included


def test_errors_have_one_schema_and_no_schema_is_unused(document: dict[str, Any]) -> None:
    for label, operation in operations(document):
        for status, response in operation["responses"].items():
            if status == "default" or int(status) >= 400:
                assert response["content"][JSON]["schema"] == ERROR_BODY, f"{label} {status}"
    schemas = document["components"]["schemas"]
    assert [name for name, schema in schemas.items() if "error" in schema.get("properties", {})] == [
        "ErrorBody"
    ]
    used: set[str] = set()
    frontier = set(REF.findall(json.dumps(document["paths"])))
    while frontier - used:
        name = (frontier - used).pop()
        used.add(name)
        frontier |= set(REF.findall(json.dumps(schemas[name])))
    assert set(schemas) - used == set()


def test_no_operation_without_input_declares_a_422(document: dict[str, Any]) -> None:
    without_input = [
        label
        for label, operation in operations(document)
        if "requestBody" not in operation and not operation.get("parameters")
    ]
    assert without_input, "the check needs at least one such operation"
    assert [label for label in without_input if "422" in dict(operations(document))[label]["responses"]] == []


def test_every_operation_is_tagged_and_uniquely_named(document: dict[str, Any]) -> None:
    tags = {tag["name"] for tag in document["tags"]}
    ids = [operation["operationId"] for _, operation in operations(document)]
    assert len(ids) == len(set(ids)), sorted(ids)
    for label, operation in operations(document):
        assert OPERATION_ID.match(operation["operationId"]), label
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, label


def test_every_body_has_an_example_that_fits_its_schema(document: dict[str, Any]) -> None:
    missing: list[str] = []
    for label, operation in operations(document):
        for which, schema in bodies(operation):
            # An optional body is `anyOf: [{$ref}, {type: null}]`: its model is the $ref.
            reference = schema.get("$ref") or next(part["$ref"] for part in schema["anyOf"] if "$ref" in part)
            name = reference.rsplit("/", 1)[1]
            examples = document["components"]["schemas"][name].get("examples", [])
            if not examples:
                missing.append(f"{label} {which} ({name})")
            for example in examples:
                assert fits(document, schema, example) == [], f"{name}: {example}"
    assert missing == [], "bodies without an example (model_config json_schema_extra examples)"


def test_a_wallet_says_its_decimals_are_always_two_without_an_integer_const(document: dict[str, Any]) -> None:
    # An integer `const` is what openapi-python-client mis-renders (test_generated_clients.py): a range of one
    decimals = document["components"]["schemas"]["WalletOut"]["properties"]["decimals"]
    assert (decimals["type"], decimals["minimum"], decimals["maximum"], "const" in decimals) == (
        "integer",
        2,
        2,
        False,
    )
    assert fits(document, {"$ref": "#/components/schemas/WalletOut"}, {**WALLET_EXAMPLE, "decimals": 3}) != []


def test_every_error_status_lists_its_codes_in_the_description(document: dict[str, Any]) -> None:
    for label, operation in operations(document):
        for status, response in operation["responses"].items():
            if status == "default" or int(status) < 400:
                continue
            codes = response.get("x-error-codes")
            assert codes, f"{label} {status}: no error codes declared"
            listed = f"- `{status}` {response['description']}: " + ", ".join(f"`{code}`" for code in codes)
            assert listed in operation["description"], f"{label} {status}"


def test_swagger_ui_answers_with_and_without_the_trailing_slash(api: httpx.Client) -> None:
    for path in ("/docs", "/docs/"):
        page = api.get(path)
        assert page.status_code == 200 and "SwaggerUIBundle" in page.text, path


def test_the_asyncapi_document_holds_every_websocket_message_with_fitting_examples(api: httpx.Client) -> None:
    document = api.get("/asyncapi.json").json()
    assert document["asyncapi"] == "3.0.0"
    messages = document["components"]["messages"]
    titles = {message["title"] for message in messages.values()}
    assert titles == {model.__name__ for model in (*CLIENT_MESSAGES, *SERVER_MESSAGES)}
    assert set(document["channels"]["connection"]["messages"]) == set(messages)
    actions = {operation["action"] for operation in document["operations"].values()}
    assert actions == {"send", "receive"} and len(document["operations"]) == len(messages)
    for name, message in messages.items():
        assert message["examples"], name
        for example in message["examples"]:
            assert fits(document, message["payload"], example["payload"]) == [], name
            assert example["payload"].get("type", example["payload"].get("action")) == name
