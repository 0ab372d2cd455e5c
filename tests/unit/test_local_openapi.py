"""The merged /openapi.json: the functions' own documents plus what the gateway adds."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel

from local_runtime.http_api import Route
from local_runtime.lambdas import LocalFunction
from local_runtime.openapi import merged_document
from twtc_core import errors
from twtc_core.api import build_resolver, documented

app = build_resolver()  # this module stands in for a handler module


class ThingOut(BaseModel):
    id: str


class ThingMissing(errors.NotFound):
    code = "thing_missing"


class ThingLocked(errors.Conflict):
    code = "thing_locked"


@app.get(
    "/v1/things/<thing_id>", responses=documented(ThingOut, ThingMissing, ThingLocked, HTTPStatus.CONFLICT)
)
def get_thing(thing_id: str) -> ThingOut:
    return ThingOut(id=thing_id)


@app.delete("/v1/things/<thing_id>", responses={204: {"description": "Deleted"}})
def delete_thing(thing_id: str) -> Response[None]:
    return Response(status_code=HTTPStatus.NO_CONTENT)


class ThingIn(BaseModel):
    name: str


@app.post("/v1/public")
def public(thing: ThingIn) -> ThingOut:
    return ThingOut(id=thing.name)


@app.get("/v1/pages")
def pages(cursor: str | None = None) -> ThingOut:
    return ThingOut(id=cursor or "")


@app.get("/v1/me/thing", description="Mine.")
def my_thing() -> ThingOut:
    return ThingOut(id="mine")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)


FUNCTION = LocalFunction("things", lambda_handler)
ROUTES = [
    Route.of("GET", "/v1/things/{thing_id}", True, FUNCTION),
    Route.of("DELETE", "/v1/things/{thing_id}", True, FUNCTION),
    Route.of("POST", "/v1/public", False, FUNCTION),
    Route.of("GET", "/v1/pages", True, FUNCTION),
    Route.of("GET", "/v1/me/thing", True, FUNCTION),
]
ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


def test_authorized_operations_carry_the_bearer_scheme_and_a_401() -> None:
    document = merged_document(ROUTES)
    operation = document["paths"]["/v1/things/{thing_id}"]["get"]
    assert operation["security"] == [{"cognito": []}]
    assert operation["responses"]["401"]["content"]["application/json"]["schema"] == ERROR_BODY
    assert document["components"]["securitySchemes"]["cognito"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    public_operation = document["paths"]["/v1/public"]["post"]
    assert "security" not in public_operation and "401" not in public_operation["responses"]


def test_every_error_is_documented_with_the_one_error_schema() -> None:
    document = merged_document(ROUTES)
    for operations in document["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status == "default" or int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == ERROR_BODY, status
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorDetail"]["required"]) == {"code", "message", "details"}
    assert not {"Error", "HTTPValidationError", "ValidationError", "ResponseValidationError"} & set(schemas)


def test_the_declared_domain_errors_and_the_edge_errors_are_listed_by_code() -> None:
    operation = merged_document(ROUTES)["paths"]["/v1/things/{thing_id}"]["get"]
    codes = {status: response.get("x-error-codes") for status, response in operation["responses"].items()}
    assert codes["404"] == ["thing_missing"]
    assert codes["409"] == [
        "thing_locked",
        "conflict",
    ]  # a class names its code, a bare status its category's
    assert codes["401"] == ["unauthorized", "session_ended", "access_token_required"]
    assert codes["422"] == ["validation_failed"]  # the path parameter
    assert "- `409` Conflict: `thing_locked`, `conflict`" in operation["description"]


def test_an_operation_without_input_declares_no_422_and_keeps_its_own_description() -> None:
    operation = merged_document(ROUTES)["paths"]["/v1/me/thing"]["get"]
    assert "422" not in operation["responses"]
    assert operation["description"].startswith("Mine.\n\n**Errors**")


def test_operations_are_tagged_by_function_and_named_by_handler() -> None:
    document = merged_document(ROUTES)
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    assert {operation["operationId"] for operation in operations} == {
        "get_thing",
        "delete_thing",
        "public",
        "pages",
        "my_thing",
    }
    assert all(operation["tags"] == ["things"] for operation in operations)
    assert document["tags"] == [{"name": "things", "description": "things"}]


def test_an_opaque_cursor_is_described_on_its_parameter() -> None:
    (cursor,) = merged_document(ROUTES)["paths"]["/v1/pages"]["get"]["parameters"]
    assert cursor["description"].startswith("Opaque: pass the `next_cursor`")


def test_no_content_is_documented_without_a_body() -> None:
    responses = merged_document(ROUTES)["paths"]["/v1/things/{thing_id}"]["delete"]["responses"]
    assert responses["204"] == {"description": "Deleted"}


def test_a_body_or_a_cursor_documents_the_400_the_shared_resolver_answers_for_malformed_input() -> None:
    paths = merged_document(ROUTES)["paths"]
    assert "400" in paths["/v1/public"]["post"]["responses"]  # a body that is not JSON
    assert "400" in paths["/v1/pages"]["get"]["responses"]  # a cursor the API did not issue
    assert "400" not in paths["/v1/things/{thing_id}"]["get"]["responses"]
