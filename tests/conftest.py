"""Shared fixtures. The environment is set before any function module is imported, exactly as Lambda
sets it before the handler module loads."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from local_runtime.resources import environment

os.environ.update(environment())

from moto import mock_aws

import bench.counting  # noqa: F401  (counts AWS calls for the budget tests: before any client exists)
from local_runtime.cognito import install_cognito_emulation, reset_cognito_emulation
from local_runtime.moto_fidelity import make_dynamodb_atomic
from local_runtime.outbox import OUTBOX, Outbox
from local_runtime.resources import create_resources
from twtc_core.clock import CLOCK

make_dynamodb_atomic()
# Before any function module creates its boto3 clients (they copy botocore's hooks when created).
install_cognito_emulation()
# One boto3 session per worker (moto would replace it on each start: a new session parses botocore's service
# data again, about a second per test; moto's hooks are in botocore's built-in handlers, so the kept session
# is mocked all the same), signing with the environment's credentials throughout (moto would swap in its
# own while mocking, so a client created in one test would sign unlike one created in another).
MOTO_CONFIG = {"core": {"reset_boto3_session": False, "mock_credentials": False}}
with mock_aws(config=MOTO_CONFIG):
    # Pool and client ids (moto's HASH strategy) and queue URLs are the same in every fresh moto: learn
    # them once, before any handler module reads its settings at import.
    os.environ.update(create_resources())

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
    with mock_aws(config=MOTO_CONFIG):
        yield create_resources()


@pytest.fixture
def cognito(aws: dict[str, str]) -> Iterator[Outbox]:
    """The moto user pool with Cognito's codes and triggers emulated; yields the outbox of sent codes."""
    reset_cognito_emulation()
    OUTBOX.clear()
    yield OUTBOX
    OUTBOX.clear()
    reset_cognito_emulation()
