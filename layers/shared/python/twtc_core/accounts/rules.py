"""Account rules more than one function applies: who may sign up, and with which referral code."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from disposable_email_domains import blocklist

from twtc_core.accounts import codes
from twtc_core.accounts.errors import (
    AccountExists,
    DisposableEmail,
    InvalidReferralCode,
    ReferralLimitReached,
)
from twtc_core.accounts.models import ReferralCode, SignupPass, can_refer
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.clock import utc_now
from twtc_core.dynamo import Check, Transaction

# Providers that ignore dots in the local part (the same inbox), under the name they answer to.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
# IPv4 /24 (spec §7); for IPv6 the comparable unit is the /64 a household or mobile link is given.
SAME_NETWORK_PREFIX = {4: 24, 6: 64}


@dataclass(frozen=True)
class ReferralCaps:
    per_day: int
    lifetime: int


@dataclass(frozen=True)
class SignupStores:
    """What admitting a sign-up reads and writes."""

    codes: CodeStore
    devices: DeviceStore
    profiles: ProfileStore
    referrals: ReferralStore
    inboxes: InboxStore


@dataclass(frozen=True)
class SignupCandidate:
    email: str | None
    referral_code: str | None  # as entered
    device_id: str | None


@dataclass(frozen=True)
class Admission:
    referral_code: str | None  # the entered code as stored, when one was entered
    reserved_inbox: str | None  # the inbox this sign-up reserved: to give back if it does not happen


# Checks of a sign-up's transaction, each with the refusal it means when it fails.
Refusals = list[tuple[Check | None, Callable[[], Exception]]]


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


def admit_sign_up(
    stores: SignupStores,
    caps: ReferralCaps,
    today: str,
    candidate: SignupCandidate,
    *,
    also: Callable[[Transaction], Refusals] = lambda writes: [],
    granted: SignupPass | None = None,
) -> Admission:
    """Reserve the address's inbox (one account per inbox, however it is spelled; with the `granted`
    pass, if any) and check the referral code, in one transaction with what `also` adds; or raise the
    first refusal of a failed check: `also`'s, then the code's (own code, unknown referrer, lifetime cap,
    daily cap), then the inbox's.

    Only the code is read first (its owner); the owner's device, profile and daily count are conditions
    of the transaction. A repeated sign-up of the same address finds its own reservation and keeps it."""
    referrer = _referrer(stores.codes, candidate.referral_code)
    identity = email_identity(candidate.email)
    address = (candidate.email or "").strip().lower()
    reserve = identity is not None
    while True:
        writes = Transaction()
        refusals = also(writes)
        if referrer is not None:
            refusals += _referral_checks(
                stores, writes, referrer, candidate.device_id, caps=caps, today=today
            )
        inbox = (
            stores.inboxes.reserve_with(writes, identity, address, granted, int(utc_now().timestamp()))
            if identity and reserve
            else None
        )
        if identity and referrer is not None:
            refusals.append((stores.inboxes.never_erased_with(writes, identity), _returning_member))
        failed = writes.commit()
        if refusal := next((refusal for check, refusal in refusals if check in failed), None):
            raise refusal()
        if inbox is None or inbox not in failed:
            return Admission(referrer.code if referrer else None, identity if reserve else None)
        if identity is None or stores.inboxes.holder(identity) != address:
            raise AccountExists("An account with this email already exists.", {"reason": "same_inbox"})
        reserve = False  # the same address reserved it before (a repeated sign-up): not ours to give back


def _returning_member() -> Exception:
    """An inbox that held an account before is nobody's new referral (erase, sign up again, repeat)."""
    return InvalidReferralCode("Referral codes are for new members.", {"reason": "returning_member"})


def _referrer(stores: CodeStore, entered_code: str | None) -> ReferralCode | None:
    if entered_code is None:
        return None
    code = codes.normalize(entered_code)
    owner = stores.get(code) if code else None
    if owner is None or owner.retired:
        raise InvalidReferralCode("No such referral code.", {"reason": "unknown"})
    return owner


def _referral_checks(
    stores: SignupStores,
    writes: Transaction,
    referrer: ReferralCode,
    signup_device_id: str | None,
    *,
    caps: ReferralCaps,
    today: str,
) -> Refusals:
    refusals: Refusals = []
    if signup_device_id:
        # The only way to enter your own code before you have an account: from your own device.
        refusals.append(
            (
                stores.devices.unknown_check_with(writes, referrer.user_id, signup_device_id),
                lambda: InvalidReferralCode("You cannot use your own referral code.", {"reason": "own_code"}),
            )
        )
    can_refer = stores.profiles.can_refer_check_with(writes, referrer.user_id, caps.lifetime)
    refusals.append((can_refer, lambda: _why_not_referring(stores.profiles, referrer.user_id)))
    refusals.append(
        (
            stores.referrals.day_room_check_with(writes, referrer.user_id, today, caps.per_day),
            lambda: ReferralLimitReached("This referral code has reached today's limit.", {"period": "day"}),
        )
    )
    return refusals


def _why_not_referring(profiles: ProfileStore, referrer_id: str) -> Exception:
    if not can_refer(profiles.get(referrer_id)):
        return InvalidReferralCode("No such referral code.", {"reason": "unknown"})
    return ReferralLimitReached("This referral code has reached its limit.", {"period": "lifetime"})


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
