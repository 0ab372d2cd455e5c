"""Account rules more than one function applies: who may sign up, and with which referral code."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from disposable_email_domains import blocklist

from twtc_core.accounts import codes
from twtc_core.accounts.errors import (
    AccountExists,
    DisposableEmail,
    InvalidReferralCode,
    ReferralLimitReached,
)
from twtc_core.accounts.models import is_active
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import EmailClaim, InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore

# Providers that ignore dots in the local part (the same inbox), under the name they answer to.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
# IPv4 /24 (spec §7); for IPv6 the comparable unit is the /64 a household or mobile link is given.
SAME_NETWORK_PREFIX = {4: 24, 6: 64}


@dataclass(frozen=True)
class Referrer:
    user_id: str
    code: str  # as stored (normalized)


@dataclass(frozen=True)
class ReferralCaps:
    per_day: int
    lifetime: int


@dataclass(frozen=True)
class ReferrerLookups:
    """What checking a referral code reads."""

    codes: CodeStore
    devices: DeviceStore
    profiles: ProfileStore
    referrals: ReferralStore


def ensure_email_domain_allowed(email: str | None) -> None:
    """Throwaway inboxes (the maintained `disposable-email-domains` list) cannot open accounts, nor can
    their subdomains (`x.mailinator.com` delivers to mailinator too)."""
    if email is None:
        return
    domain = email.rsplit("@", 1)[-1].lower().rstrip(".")
    labels = domain.split(".")
    listed = next(
        (".".join(labels[i:]) for i in range(len(labels) - 1) if ".".join(labels[i:]) in blocklist), None
    )
    if listed is not None:
        raise DisposableEmail("Disposable email addresses cannot be used.", {"domain": listed})


def canonical_email(email: str) -> str:
    """The inbox an address delivers to, so that aliases count as one person for the sign-up and
    referral limits: case folded, `+tags` dropped, and for Gmail the dots of the local part too."""
    local, _, domain = email.strip().lower().rpartition("@")
    domain = domain.rstrip(".")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        domain, local = DOTLESS_DOMAINS[domain], local.replace(".", "")
    return f"{local}@{domain}"


def email_identity(email: str | None) -> str | None:
    """What the accounts table keeps to recognise an inbox: a digest of its canonical address, never
    the address itself."""
    if not email:
        return None
    return hashlib.sha256(canonical_email(email).encode()).hexdigest()


def reserve_inbox(inboxes: InboxStore, email: str | None) -> str | None:
    """Hold the address's inbox for this sign-up: another spelling of an inbox that already has an
    account (`a.sha+2@gmail.com` after `asha@gmail.com`) is refused. Returns the identity when this call
    reserved it, for the caller to release if the sign-up does not happen."""
    identity = email_identity(email)
    if identity is None or email is None:
        return None
    claim = inboxes.claim(identity, email.strip().lower())
    if claim is EmailClaim.TAKEN:
        raise AccountExists("An account with this email already exists.", {"reason": "same_inbox"})
    return identity if claim is EmailClaim.CLAIMED else None


def resolve_referrer(
    stores: ReferrerLookups, entered_code: str, signup_device_id: str | None, caps: ReferralCaps, today: str
) -> Referrer:
    """The user behind a referral code a new user entered, or the reason it cannot be used."""
    code = codes.normalize(entered_code)
    owner = stores.codes.get(code) if code else None
    if owner is None or owner.retired:
        raise InvalidReferralCode("No such referral code.", {"reason": "unknown"})
    if signup_device_id and stores.devices.get(owner.user_id, signup_device_id) is not None:
        # The only way to enter your own code before you have an account: from your own device.
        raise InvalidReferralCode("You cannot use your own referral code.", {"reason": "own_code"})
    referrer = stores.profiles.get(owner.user_id)
    if not is_active(referrer):
        raise InvalidReferralCode("No such referral code.", {"reason": "unknown"})
    if referrer.referrals_rewarded >= caps.lifetime:
        raise ReferralLimitReached("This referral code has reached its limit.", {"period": "lifetime"})
    if stores.referrals.rewarded_on(owner.user_id, today) >= caps.per_day:
        raise ReferralLimitReached("This referral code has reached today's limit.", {"period": "day"})
    return Referrer(user_id=owner.user_id, code=owner.code)


def same_network(first_ip: str | None, second_ip: str | None) -> bool:
    """Whether two addresses share an IPv4 /24 (or IPv6 /64)."""
    if not first_ip or not second_ip:
        return False
    try:
        first, second = ipaddress.ip_address(first_ip), ipaddress.ip_address(second_ip)
    except ValueError:
        return False
    if first.version != second.version:
        return False
    network = ipaddress.ip_network(f"{first}/{SAME_NETWORK_PREFIX[first.version]}", strict=False)
    return second in network


def mask_name(name: str | None) -> str:
    """`Bob Smith` -> `B** S****`: enough for a referrer to recognise a friend, not to identify."""
    if not name:
        return "***"
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())


def mask_contact(email: str | None, phone: str | None) -> str:
    """`bob@example.com` -> `b**@example.com`; `+919876543210` -> `+91******3210`."""
    if email:
        local, _, domain = email.partition("@")
        return f"{local[0]}{'*' * max(2, len(local) - 1)}@{domain}"
    if phone:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "***"
