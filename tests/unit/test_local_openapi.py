"""The merged /openapi.json: the functions' own documents plus what the gateway adds."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel

from local_runtime.http_api import Route
from local_runtime.lambdas import LocalFunction
from local_runtime.openapi import merged_document
from twtc_core.api import build_resolver

app = build_resolver()  # this module stands in for a handler module


class ThingOut(BaseModel):
    id: str


@app.get("/v1/things/<thing_id>")
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


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)


FUNCTION = LocalFunction("things", lambda_handler)
ROUTES = [
    Route.of("GET", "/v1/things/{thing_id}", True, FUNCTION),
    Route.of("DELETE", "/v1/things/{thing_id}", True, FUNCTION),
    Route.of("POST", "/v1/public", False, FUNCTION),
    Route.of("GET", "/v1/pages", True, FUNCTION),
]


def test_authorized_operations_carry_the_bearer_scheme_and_a_401() -> None:
    document = merged_document(ROUTES)
    operation = document["paths"]["/v1/things/{thing_id}"]["get"]
    assert operation["security"] == [{"cognito": []}]
    assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert document["components"]["securitySchemes"]["cognito"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    public_operation = document["paths"]["/v1/public"]["post"]
    assert "security" not in public_operation and "401" not in public_operation["responses"]


def test_every_error_is_documented_with_the_spec_error_body() -> None:
    document = merged_document(ROUTES)
    responses = document["paths"]["/v1/things/{thing_id}"]["get"]["responses"]
    assert responses["422"] == responses["default"]
    assert (
        responses["default"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
    )
    assert set(document["components"]["schemas"]["Error"]["properties"]["error"]["required"]) == {
        "code",
        "message",
        "details",
    }


def test_no_content_is_documented_without_a_body() -> None:
    responses = merged_document(ROUTES)["paths"]["/v1/things/{thing_id}"]["delete"]["responses"]
    assert responses["204"] == {"description": "Deleted"}


def test_a_body_or_a_cursor_documents_the_400_the_shared_resolver_answers_for_malformed_input() -> None:
    paths = merged_document(ROUTES)["paths"]
    assert "400" in paths["/v1/public"]["post"]["responses"]  # a body that is not JSON
    assert "400" in paths["/v1/pages"]["get"]["responses"]  # a cursor the API did not issue
    assert "400" not in paths["/v1/things/{thing_id}"]["get"]["responses"]
