"""Who may sign up: the same rules the auth API applies before calling Cognito, applied again here for
sign-ups made elsewhere (the console, admin creation, anyone holding the app client's secret)."""

from __future__ import annotations

from twtc_core.accounts.errors import SignupRejected
from twtc_core.accounts.rules import (
    ReferralCaps,
    ReferrerLookups,
    ensure_email_domain_allowed,
    reserve_inbox,
    resolve_referrer,
)
from twtc_core.accounts.stores.inboxes import InboxStore


def check_sign_up(
    referrers: ReferrerLookups,
    inboxes: InboxStore,
    caps: ReferralCaps,
    today: str,
    *,
    created_by_admin: bool,
    email: str | None,
    referral_code: str | None,
    device_id: str | None,
    signup_ip: str | None,
) -> None:
    """Raise the reason the sign-up must be refused; Cognito then refuses it with our message.

    A self sign-up must carry the device and IP our API records (the referral self-dealing checks rely
    on them): one without did not come through the API. Administrators create users without them.
    """
    if not created_by_admin and not (device_id and signup_ip):
        raise SignupRejected("Sign up through the TWTC app.")
    ensure_email_domain_allowed(email)
    if referral_code:
        resolve_referrer(referrers, referral_code, device_id, caps, today)
    reserve_inbox(inboxes, email)  # last: a refused sign-up reserves nothing (the API's own is reused)
