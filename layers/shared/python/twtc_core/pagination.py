"""Opaque list cursors: the DynamoDB key to resume from, sealed with AES-GCM under a key only the backend
holds. A client can neither read one (no table keys, no other user's id) nor alter or forge one (any
change fails authentication). The key is a Secrets Manager secret, read once per container.

`cryptography` is imported on the first cursor sealed or opened: only functions that page have the key (and
attach the layer holding it); the others import this module for the page shapes and pay nothing."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from aws_lambda_powertools.utilities import parameters
from pydantic_settings import BaseSettings, SettingsConfigDict

from twtc_core.errors import InvalidCursor

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

T = TypeVar("T")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
NONCE_BYTES = 12
TAG_BYTES = 16
NOT_ISSUED = "The cursor is not one this API issued."


class CursorSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True)

    cursor_secret_id: str  # the cursor key's secret in Secrets Manager (name or ARN)


@cache
def _cipher() -> AESGCM:
    # Imported here: only functions that page lists attach the crypto layer (infra_cdk/dependency_layer).
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF  # noqa: PLC0415

    secret = str(parameters.get_secret(CursorSettings().cursor_secret_id))
    # The secret is a generated string; HKDF turns it into exactly the 256-bit key AES-GCM needs.
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"twtc list cursor").derive(
        secret.encode()
    )
    return AESGCM(key)


def encode_cursor(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher().encrypt(nonce, json.dumps(last_key, separators=(",", ":")).encode(), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        sealed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidCursor(NOT_ISSUED) from error
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise InvalidCursor(NOT_ISSUED)
    from cryptography.exceptions import InvalidTag  # noqa: PLC0415

    try:
        plain = _cipher().decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], None)
    except InvalidTag as error:
        raise InvalidCursor(NOT_ISSUED) from error
    decoded = json.loads(plain)  # authentic: written by encode_cursor
    if not isinstance(decoded, dict):
        raise InvalidCursor(NOT_ISSUED)
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
