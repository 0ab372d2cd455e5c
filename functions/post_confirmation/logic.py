"""What a confirmation starts: a confirmed sign-up (not a password reset) asks for its account.

Cognito does not retry a failed trigger, so the trigger does nothing that can half-fail: it queues one
provisioning request and the provisioning worker does the work, retried by SQS until it completes.
"""

from __future__ import annotations

from twtc_core.accounts.queues import ProvisioningQueue

SIGN_UP_CONFIRMATION = "PostConfirmation_ConfirmSignUp"  # not ..._ConfirmForgotPassword


def on_confirmation(queue: ProvisioningQueue, trigger_source: str, user_id: str) -> None:
    if trigger_source == SIGN_UP_CONFIRMATION:
        queue.request_provisioning(user_id)
