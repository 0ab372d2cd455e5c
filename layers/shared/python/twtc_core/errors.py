"""Domain errors. Logic raises these; `twtc_core.api` maps each *category* to an HTTP status in one place.

A concrete error names its `code` (the spec's snake_case error code) and subclasses the category that
says what kind of failure it is. Nothing here knows about HTTP.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "error"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class MalformedRequest(DomainError):
    code = "malformed_request"


class Unauthenticated(DomainError):
    code = "unauthorized"


class Forbidden(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Invalid(DomainError):
    code = "validation_failed"


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after_seconds: int, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details)
        self.retry_after_seconds = max(1, retry_after_seconds)


class InvalidCursor(MalformedRequest):
    code = "invalid_cursor"
