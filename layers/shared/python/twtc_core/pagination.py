"""Opaque list cursors: the DynamoDB key to resume from, base64url-encoded JSON. Clients never parse them."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from twtc_core.errors import InvalidCursor

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    return base64.urlsafe_b64encode(json.dumps(last_key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor("The cursor is not one this API issued.") from error
    if not isinstance(decoded, dict):
        raise InvalidCursor("The cursor is not one this API issued.")
    return decoded


def resume_key(
    cursor: str | None, *, key_names: Iterable[str], partition: tuple[str, str]
) -> dict[str, Any] | None:
    """The DynamoDB key a cursor resumes from, if it has exactly the index's string key attributes and
    the caller's partition; anything else (forged, truncated, someone else's) is InvalidCursor."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    well_formed = set(key) == set(key_names) and all(
        isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)
        for value in key.values()
    )
    partition_name, partition_value = partition
    if not well_formed or key[partition_name]["S"] != partition_value:
        raise InvalidCursor("The cursor is not one this API issued for this list.")
    return key


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
