"""Erasure (GDPR): personal data removed, the ledger kept under the pseudonymous user id.

The profile is scrubbed first, in one write that also lists every step still to run and puts the
account on the sparse "erasure pending" index. Each step is struck off when done and the account leaves
the index after the last one. So an erasure interrupted after any step, by a crash or a timeout, is
finished by whoever comes next: the user's retried DELETE or the `erasure-sweeper` schedule. Every step
may run again. The Cognito user is deleted after the scrub (a crash between the two leaves a login that
finds no account, never an account with personal data and no login).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.models import is_active
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.clock import iso, utc_now
from twtc_core.cognito import UserPool
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.store import KycStore
from twtc_core.observability import logger
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.withdrawals.store import WithdrawalStore


@dataclass(frozen=True)
class ErasureServices:
    profiles: ProfileStore
    codes: CodeStore
    inboxes: InboxStore
    devices: DeviceStore
    referrals: ReferralStore
    security: SecurityStore
    pool: UserPool
    kyc: KycStore
    documents: DocumentStore
    withdrawals: WithdrawalStore


def erase(services: ErasureServices, user_id: str) -> None:
    """Erase the account, or finish its erasure; erasing an erased account does nothing."""
    profile = services.profiles.get(user_id)
    if profile is None:
        raise ProfileNotFound("No profile for this user.")
    steps = _erasure_steps(services, user_id, profile.referral_code, profile.email_identity)
    if is_active(profile):
        services.profiles.erase(user_id, iso(utc_now()), list(steps))
        pending = set(steps)
    else:
        pending = set(profile.erasure_pending)
    for name, step in steps.items():
        if name in pending:
            step()
            services.profiles.finish_erasure_step(user_id, name)
    services.profiles.close_erasure(user_id)


def finish_pending_erasures(services: ErasureServices, limit: int) -> int:
    """The sweeper: finish up to `limit` erasures left pending; how many it finished. One that fails
    again stays pending for the next run and does not hold up the others."""
    finished = 0
    for user_id in services.profiles.pending_erasures(limit):
        try:
            erase(services, user_id)
        except Exception:
            logger.exception("pending erasure failed again", extra={"user_id": user_id})
            continue
        finished += 1
    return finished


def _erasure_steps(
    services: ErasureServices, user_id: str, referral_code: str | None, email_identity: str | None
) -> dict[str, Callable[[], None]]:
    """What erasure does after scrubbing the profile, in order."""

    def retire_code() -> None:
        if referral_code:
            services.codes.retire(referral_code)

    def release_inbox() -> None:
        """The address may open a new account; the digest leaves the profile last."""
        if email_identity:
            services.inboxes.release(email_identity)
        services.profiles.forget_email_identity(user_id)

    def erase_activity() -> None:
        services.security.erase_activity_of(user_id)
        # The erasure itself stays on record, without anything that identifies the person.
        services.security.log_activity(user_id, "delete", RequestOrigin())

    return {
        "delete_login": partial(services.pool.delete_user, user_id),
        "retire_code": retire_code,
        "release_inbox": release_inbox,
        "hide_from_referrer": partial(services.referrals.erase_referee_details, user_id),
        "forget_devices": partial(services.devices.forget_devices_of, user_id),
        "erase_activity": erase_activity,
        # Documents first: the submissions name their keys, and a retry must not lose the way to them.
        "erase_kyc_documents": partial(services.documents.erase_all_of, user_id),
        "erase_kyc_records": partial(services.kyc.erase_all_of, user_id),
        # Withdrawals still open keep their masked destination and their hold, not the full destination.
        "erase_payout_destinations": partial(services.withdrawals.erase_destinations_of, user_id),
    }
