"""Provision on first use: the safety net under the PostConfirmation trigger.

The trigger queues each confirmed user's provisioning, but it can fail before it does (and Cognito does
not retry it). Any code that finds a signed-in user without a profile calls `request_missing_account`:
the request is queued again (the worker is idempotent) and the caller learns the account is being set up.
"""

from __future__ import annotations

from typing import NoReturn

from twtc_core.accounts.errors import AccountBeingSetUp
from twtc_core.accounts.queues import ProvisioningQueue


def request_missing_account(queue: ProvisioningQueue, user_id: str) -> NoReturn:
    queue.request_provisioning(user_id)
    raise AccountBeingSetUp("Your account is still being set up; try again in a few seconds.")
