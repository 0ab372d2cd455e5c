"""Who may sign up: the same rules the auth API applies before calling Cognito, applied again here for
sign-ups made elsewhere (Cognito's own API, the console, admin creation)."""

from __future__ import annotations

from twtc_core.accounts.rules import ReferralCaps, ensure_email_domain_allowed, resolve_referrer
from twtc_core.accounts.store import UsersStore


def check_sign_up(
    store: UsersStore,
    caps: ReferralCaps,
    today: str,
    *,
    email: str | None,
    referral_code: str | None,
    device_id: str | None,
) -> None:
    """Raise the reason the sign-up must be refused; Cognito then refuses it with our message."""
    ensure_email_domain_allowed(email)
    if referral_code:
        resolve_referrer(store, referral_code, device_id, caps, today)
