"""Provision on first use: the safety net under the PostConfirmation trigger.

The trigger queues each confirmed user's provisioning, but it can fail before it does (and Cognito does
not retry it). Any code that finds a signed-in user without a profile calls `ensure_provisioned` (or,
having read the profile, `request_missing_account`): the request is queued again (the worker is
idempotent) and the caller learns the account is being set up.
"""

from __future__ import annotations

from typing import NoReturn

from twtc_core.accounts.errors import AccountBeingSetUp
from twtc_core.accounts.queues import ProvisioningQueue
from twtc_core.accounts.stores.profiles import ProfileStore


def ensure_provisioned(profiles: ProfileStore, queue: ProvisioningQueue, user_id: str) -> None:
    """Return when the user has a profile; otherwise queue its provisioning and raise AccountBeingSetUp."""
    if profiles.get(user_id) is None:
        request_missing_account(queue, user_id)


def request_missing_account(queue: ProvisioningQueue, user_id: str) -> NoReturn:
    queue.request_provisioning(user_id)
    raise AccountBeingSetUp("Your account is still being set up; try again in a few seconds.")
