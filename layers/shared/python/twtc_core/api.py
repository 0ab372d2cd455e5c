"""The HTTP edge every API function shares: one resolver factory, the spec's error body, and the single
place where domain errors become HTTP statuses.

Handlers build their router with `build_resolver()`, read the caller with `caller_id(app)` and never
construct error responses themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from typing import Any, cast, get_args

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic_core.core_schema import ErrorType

from twtc_core import errors
from twtc_core.accounts.sessions import SessionGate
from twtc_core.admin import Actor
from twtc_core.edge import refuse_direct_calls
from twtc_core.observability import logger

STATUS_BY_CATEGORY: dict[type[errors.DomainError], HTTPStatus] = {
    errors.MalformedRequest: HTTPStatus.BAD_REQUEST,
    errors.Unauthenticated: HTTPStatus.UNAUTHORIZED,
    errors.Forbidden: HTTPStatus.FORBIDDEN,
    errors.NotFound: HTTPStatus.NOT_FOUND,
    errors.Conflict: HTTPStatus.CONFLICT,
    errors.Invalid: HTTPStatus.UNPROCESSABLE_ENTITY,
    errors.UnsupportedMediaType: HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    errors.RateLimited: HTTPStatus.TOO_MANY_REQUESTS,
}
JSON_MEDIA_TYPE = "application/json"
NOT_JSON = f"Send the body as {JSON_MEDIA_TYPE}."
UTF8_CHARSETS = {"charset=utf-8", 'charset="utf-8"'}
# Any other problem type is a request model's own (twtc_core.fields): the spec's error code for it.
PYDANTIC_ERRORS = frozenset(get_args(ErrorType))


def error_response(
    status: HTTPStatus,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body={"error": {"code": code, "message": message, "details": details or {}}},
        headers=headers,
    )


class ErrorDetail(BaseModel):
    code: str = Field(description="snake_case; each operation's description lists the codes it can answer.")
    message: str = Field(description="For people; do not parse it.")
    details: dict[str, Any]


class ErrorBody(BaseModel):
    """The spec's error body (§4): the one error shape of every operation."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "validation_failed",
                        "message": "The request did not pass validation.",
                        "details": {"problems": [{"location": "body.email", "message": "Field required"}]},
                    }
                }
            ]
        }
    )

    error: ErrorDetail


# What can go wrong on a route: the domain errors its logic raises (their own codes are documented) or, less
# precisely, bare statuses (documented with their category's code).
Failure = HTTPStatus | type[errors.DomainError]
# The response extension listing the codes an error status can carry (the OpenAPI document also lists them in
# each operation's description).
ERROR_CODES = "x-error-codes"


def status_of(category: type[errors.DomainError]) -> HTTPStatus:
    for ancestor in category.__mro__:
        if ancestor in STATUS_BY_CATEGORY:
            return STATUS_BY_CATEGORY[ancestor]  # type: ignore[index]
    return HTTPStatus.BAD_REQUEST


def status_for(error: errors.DomainError) -> HTTPStatus:
    return status_of(type(error))


def error_codes(*failures: Failure) -> dict[HTTPStatus, list[str]]:
    """The codes each error status can carry, in the order declared."""
    codes: dict[HTTPStatus, list[str]] = {}
    for failure in failures:
        if isinstance(failure, HTTPStatus):
            status = failure
            named = [category.code for category, mapped in STATUS_BY_CATEGORY.items() if mapped is failure]
        else:
            status, named = status_of(failure), [failure.code]
        listed = codes.setdefault(status, [])
        listed += [code for code in named if code not in listed]
    return codes


def page_example(item: type[BaseModel]) -> ConfigDict:
    """The example of a list page (`items`, `next_cursor`): one item, the item model's own example."""
    extra = item.model_config.get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    first = examples[:1] if isinstance(examples, list) else []
    return ConfigDict(json_schema_extra={"examples": [{"items": first, "next_cursor": None}]})


def documented(
    success: type[BaseModel] | None,
    *failures: Failure,
    status: HTTPStatus = HTTPStatus.OK,
    description: str | None = None,
) -> dict[int, OpenAPIResponse]:
    """`responses=` for a route: its success body (None: no body) and what its logic can answer instead,
    each error status with the spec's error body and its codes (Powertools documents only the success when
    a route names none). Name the domain errors (`documented(WalletOut, InsufficientFunds)`) so their codes
    are listed for client developers."""
    responses: dict[int, OpenAPIResponse] = {status.value: {"description": description or status.phrase}}
    if success is not None:
        responses[status.value]["content"] = {content_types.APPLICATION_JSON: {"model": success}}
    for error_status, codes in error_codes(*failures).items():
        error: dict[str, Any] = {
            "description": error_status.phrase,
            "content": {content_types.APPLICATION_JSON: {"model": ErrorBody}},
            ERROR_CODES: codes,  # an OpenAPI extension: Powertools passes it through
        }
        responses[error_status.value] = cast(OpenAPIResponse, error)
    return responses


def is_json(content_type: str | None) -> bool:
    """`application/json`, optionally `; charset=utf-8`: the only body this API reads. `application/*+json`
    is refused too: those media types promise semantics (JSON:API, merge patch) this API does not have."""
    media_type, *parameters = (content_type or "").split(";")
    return media_type.strip().lower() == JSON_MEDIA_TYPE and all(
        parameter.strip().lower().replace(" ", "") in UTF8_CHARSETS for parameter in parameters
    )


def parse_json(body: str) -> Any:
    """The body as a JSON object. Nesting deeper than Python's recursion limit is malformed (400); a number
    Python refuses to convert (over 4,300 digits), or a body that is not an object, is invalid (422);
    broken JSON is left to Powertools."""
    try:
        document = json.loads(body)
    except RecursionError as error:
        raise errors.MalformedRequest("The body is nested too deeply.") from error
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        raise errors.Invalid("A number in the body is too large.") from error
    if not isinstance(document, dict):
        # Every request body is an object; Powertools would validate a list's first element and drop the rest.
        raise errors.Invalid("The body must be a JSON object.")
    return document


@cache
def session_gate() -> SessionGate:
    """One per container, created on the first authorized request (public-only functions never do)."""
    return SessionGate()


def _claims(app: APIGatewayHttpResolver) -> dict[str, Any]:
    """The claims the JWT authorizer verified (every value a string); none on public routes."""
    return app.current_event.request_context.authorizer.jwt_claim or {}


def require_live_session(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
    """Every route the JWT authorizer guarded: only access tokens, and only of a session that has not
    been ended (new-device login, erasure, disable). Public routes carry no claims and pass."""
    claims = _claims(app)
    if claims:
        session_gate().require_live(claims)
    return next_middleware(app)


def build_resolver(*, json_bodies: bool = True) -> APIGatewayHttpResolver:
    """The API's resolver. `json_bodies=False` is for third-party webhooks (Twilio posts forms): their
    handlers read the raw body themselves, and no content type is refused."""
    app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json)

    def body_is_not_json() -> bool:
        """A body this API would read that is not declared JSON (spec §4: 415). Requests without a body
        are never refused for their content type."""
        event = app.current_event
        return json_bodies and bool(event.body) and not is_json(event.headers.get("content-type"))

    def json_bodies_only(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
        # Powertools reads form and multipart bodies too, and validates them before any middleware.
        if body_is_not_json():
            raise errors.UnsupportedMediaType(NOT_JSON)
        return next_middleware(app)

    # What skipped CloudFront, then a body that is not JSON, then a token whose session has ended.
    middlewares: list[Callable[..., Response]] = [refuse_direct_calls, json_bodies_only, require_live_session]
    app.use(middlewares=middlewares)

    @app.exception_handler(errors.DomainError)
    def domain_error(error: errors.DomainError) -> Response:
        headers = (
            {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, errors.RateLimited) else None
        )
        return error_response(status_for(error), error.code, error.message, error.details, headers)

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_content_type(_: RequestUnsupportedContentType) -> Response:
        return domain_error(errors.UnsupportedMediaType(NOT_JSON))

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        if body_is_not_json():
            return domain_error(errors.UnsupportedMediaType(NOT_JSON))
        if any(problem.get("type") == "json_invalid" for problem in error.errors()):
            return error_response(HTTPStatus.BAD_REQUEST, "malformed_request", "The body is not valid JSON.")
        problems = [
            {
                "location": ".".join(str(part) for part in problem.get("loc", ())),
                "message": problem.get("msg"),
            }
            for problem in error.errors()
        ]
        own_codes = [
            problem["type"] for problem in error.errors() if problem.get("type") not in PYDANTIC_ERRORS
        ]
        return error_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            own_codes[0] if own_codes else "validation_failed",
            "The request did not pass validation.",
            {"problems": problems},
        )

    @app.exception_handler(UnicodeDecodeError)
    def undecodable_body(_: UnicodeDecodeError) -> Response:
        # Powertools decodes the body before validating it; bytes that are not UTF-8 are the client's fault.
        return error_response(HTTPStatus.BAD_REQUEST, "malformed_request", "The body is not UTF-8 text.")

    @app.not_found
    def route_not_found(_: Exception) -> Response:
        return error_response(HTTPStatus.NOT_FOUND, "not_found", "No such route.")

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response:
        logger.exception("unhandled error")
        return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong.")

    return app


def caller_id(app: APIGatewayHttpResolver) -> str:
    """The Cognito `sub` the API Gateway JWT authorizer verified; routes without it are public."""
    claims = _claims(app)
    subject = claims.get("sub")
    if not subject:
        raise errors.Unauthenticated("A valid access token is required.")
    return str(subject)


def caller_groups(app: APIGatewayHttpResolver) -> frozenset[str]:
    """The caller's Cognito groups (`admin`, `moderator`), from the access token's `cognito:groups`,
    which API Gateway hands over as `[admin moderator]`."""
    claims = _claims(app)
    return frozenset(str(claims.get("cognito:groups", "")).strip("[]").split())


def caller_actor(app: APIGatewayHttpResolver) -> Actor:
    """The caller of an admin route, for `twtc_core.admin` to authorize and audit."""
    return Actor(user_id=caller_id(app), groups=caller_groups(app))


def authenticated_at(app: APIGatewayHttpResolver) -> datetime | None:
    """When the caller last typed their password: the access token's `auth_time` (None if absent)."""
    claims = _claims(app)
    try:
        return datetime.fromtimestamp(int(claims.get("auth_time", "")), UTC)
    except (ValueError, OverflowError, OSError):  # absent, not a number, or no representable instant
        return None
