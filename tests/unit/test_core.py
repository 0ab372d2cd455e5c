"""Pure pieces of the shared layer: clock, ids, cursors, and the one error-to-HTTP mapping."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from http import HTTPStatus

import pytest

from twtc_core import errors
from twtc_core.api import status_for
from twtc_core.clock import Clock, iso
from twtc_core.ids import derived_id, new_id
from twtc_core.ledger import InsufficientFunds, WalletNotFound
from twtc_core.pagination import decode_cursor, encode_cursor, resume_key


def test_a_frozen_clock_moves_only_when_advanced() -> None:
    clock = Clock()
    clock.freeze(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 1, 1, tzinfo=UTC)
    assert clock.advance(90) == datetime(2026, 1, 1, 0, 1, 30, tzinfo=UTC)


def test_an_advanced_live_clock_runs_ahead_of_real_time() -> None:
    clock = Clock()
    clock.advance(3600)
    assert (clock.now() - datetime.now(UTC)).total_seconds() == pytest.approx(3600, abs=5)


def test_iso_is_utc_millisecond_text_that_sorts() -> None:
    assert iso(datetime(2026, 11, 25, 9, 0, 0, 123456, tzinfo=UTC)) == "2026-11-25T09:00:00.123Z"


def test_new_ids_sort_by_the_clock(clock: Clock) -> None:
    first = new_id()
    clock.advance(1)
    assert new_id() > first


def test_derived_ids_are_deterministic() -> None:
    assert derived_id("call", "c1", "min", 3) == derived_id("call", "c1", "min", 3) == "call:c1:min:3"


def test_a_cursor_round_trips_and_a_forged_one_is_refused(aws: dict[str, str]) -> None:
    key = {"history_pk": {"S": "WALLET#u"}, "history_sk": {"S": "2026#x"}}
    assert decode_cursor(encode_cursor(key)) == key
    assert encode_cursor(None) is None and decode_cursor(None) is None
    deeply_nested = base64.urlsafe_b64encode(b"[" * 1536).decode()
    for forged in ("%%%", "W10", "bm90IGpzb24", deeply_nested):
        with pytest.raises(errors.InvalidCursor):
            decode_cursor(forged)


def test_a_cursor_reveals_no_key_and_any_change_is_refused(aws: dict[str, str]) -> None:
    # Given a cursor over someone's history
    key = {"history_pk": {"S": "WALLET#user-7f3a"}, "history_sk": {"S": "2026#referral:user-9b2c"}}
    cursor = encode_cursor(key)
    assert cursor is not None
    sealed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    # Then neither the key names nor any user id can be read from it
    assert not any(secret in sealed for secret in (b"history", b"WALLET", b"user-7f3a", b"user-9b2c"))
    # And flipping any single byte makes it one this API never issued
    for position in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises(errors.InvalidCursor):
            decode_cursor(base64.urlsafe_b64encode(bytes(tampered)).decode())


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.InvalidCursor("x"), HTTPStatus.BAD_REQUEST),
        (errors.Unauthenticated("x"), HTTPStatus.UNAUTHORIZED),
        (errors.Forbidden("x"), HTTPStatus.FORBIDDEN),
        (WalletNotFound("x"), HTTPStatus.NOT_FOUND),
        (InsufficientFunds("x"), HTTPStatus.CONFLICT),
        (errors.Invalid("x"), HTTPStatus.UNPROCESSABLE_ENTITY),
        (errors.RateLimited("x", retry_after_seconds=30), HTTPStatus.TOO_MANY_REQUESTS),
    ],
)
def test_each_error_category_has_one_status(error: errors.DomainError, status: HTTPStatus) -> None:
    assert status_for(error) == status


def test_retry_after_is_at_least_one_second() -> None:
    assert errors.RateLimited("slow down", retry_after_seconds=0).retry_after_seconds == 1


HISTORY_KEYS = ("pk", "sk", "history_pk", "history_sk")
MINE = ("history_pk", "WALLET#me")


def _key(**overrides: object) -> dict[str, object]:
    key: dict[str, object] = {
        "pk": {"S": "ENTRY#e1"},
        "sk": {"S": "ENTRY"},
        "history_pk": {"S": "WALLET#me"},
        "history_sk": {"S": "2026#e1"},
    }
    key.update(overrides)
    return {name: value for name, value in key.items() if value is not None}


def test_a_well_formed_cursor_of_my_partition_resumes(aws: dict[str, str]) -> None:
    assert resume_key(encode_cursor(_key()), key_names=HISTORY_KEYS, partition=MINE) == _key()
    assert resume_key(None, key_names=HISTORY_KEYS, partition=MINE) is None


@pytest.mark.parametrize(
    "forged",
    [
        _key(history_pk="x"),  # not an attribute value
        _key(history_sk=None),  # a key part missing
        _key(extra={"S": "x"}),  # a key part too many
        _key(pk={"N": "1"}),  # the wrong type
        _key(history_pk={"S": "WALLET#someone-else"}),  # another user's list
    ],
)
def test_a_cursor_of_the_wrong_shape_or_partition_is_refused(
    aws: dict[str, str], forged: dict[str, object]
) -> None:
    with pytest.raises(errors.InvalidCursor):
        resume_key(encode_cursor(forged), key_names=HISTORY_KEYS, partition=MINE)
