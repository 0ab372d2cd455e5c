"""Who may sign up: a sign-up our auth API checked carries its pass; any other (the console, admin
creation, anyone holding the app client's secret) is checked here with the API's own rules."""

from __future__ import annotations

from twtc_core.accounts.errors import SignupRejected
from twtc_core.accounts.rules import (
    ReferralCaps,
    SignupCandidate,
    SignupStores,
    admit_sign_up,
    email_identity,
    ensure_email_domain_allowed,
)
from twtc_core.accounts.stores.signups import SignupPassStore
from twtc_core.clock import utc_now


def check_sign_up(
    stores: SignupStores,
    passes: SignupPassStore,
    caps: ReferralCaps,
    *,
    created_by_admin: bool,
    email: str | None,
    phone: str | None,
    referral_code: str | None,
    device_id: str | None,
    signup_ip: str | None,
) -> None:
    """Raise the reason the sign-up must be refused; Cognito then refuses it with our message.

    A self sign-up must carry the device and IP our API records (the referral self-dealing checks rely
    on them): one without did not come through the API. Administrators create users without them. One
    the API admitted (its pass names these very attributes) was checked there, its inbox reserved.
    """
    if not created_by_admin and not (device_id and signup_ip):
        raise SignupRejected("Sign up through the TWTC app.")
    identity = email_identity(email)
    if identity is not None and email is not None:
        granted = stores.inboxes.pass_for(identity, email.strip().lower())
    else:
        granted = passes.get(phone) if phone else None
    if granted is not None and granted.admits(device_id, signup_ip, referral_code, utc_now()):
        return
    ensure_email_domain_allowed(email)
    today = utc_now().date().isoformat()
    admit_sign_up(stores, caps, today, SignupCandidate(email, referral_code, device_id))
