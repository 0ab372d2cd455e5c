"""Shared fixtures. The environment is set before any function module is imported, exactly as Lambda
sets it before the handler module loads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from local_runtime.resources import environment

os.environ.update(environment())

import bench.counting  # noqa: F401  (counts AWS calls for the budget tests: before any client exists)
from local_runtime.cognito import install_cognito_emulation, reset_cognito_emulation
from local_runtime.moto_fidelity import fresh_aws, make_dynamodb_atomic
from local_runtime.outbox import OUTBOX, Outbox
from twtc_core.clock import CLOCK

make_dynamodb_atomic()
# Before any function module creates its boto3 clients (they copy botocore's hooks when created).
install_cognito_emulation()
with fresh_aws() as declared:
    # Pool and client ids (moto's HASH strategy) and queue URLs are the same in every fresh moto: learn
    # them once, before any handler module reads its settings at import.
    os.environ.update(declared)

FROZEN_AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[object]:
    """The injectable clock, frozen at a known instant; move it with `clock.advance(seconds)`."""
    CLOCK.freeze(FROZEN_AT)
    yield CLOCK
    CLOCK.reset()


@pytest.fixture
def aws(clock: object) -> Iterator[dict[str, str]]:
    """A fresh in-memory AWS (moto) with every declared table and queue; gone after the test."""
    with fresh_aws() as env:
        yield env


@pytest.fixture
def cognito(aws: dict[str, str]) -> Iterator[Outbox]:
    """The moto user pool with Cognito's codes and triggers emulated; yields the outbox of sent codes."""
    reset_cognito_emulation()
    OUTBOX.clear()
    yield OUTBOX
    OUTBOX.clear()
    reset_cognito_emulation()
