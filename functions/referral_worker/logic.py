"""Referral rewards (spec §7): exactly once per referral, however often or concurrently its message is
delivered, and never past the referrer's caps or to an account that looks like the referrer's own.

Deciding is one conditional transaction (PENDING -> REWARDED plus both cap counters); crediting uses
ledger entry ids derived from the referral, so a redelivery after any crash completes the credits
without doubling them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from twtc_core import errors
from twtc_core.accounts.rules import ReferralCaps, same_network
from twtc_core.accounts.store import RewardClaim, UsersStore, is_active
from twtc_core.clock import iso, utc_now
from twtc_core.ids import derived_id
from twtc_core.ledger import EntryType, Ledger
from twtc_core.observability import logger
from twtc_core.security import SecurityStore

if TYPE_CHECKING:  # the stored item is read here, never built
    from twtc_core.accounts.store import ProfileItem, ReferralItem

FRAUD_SEVERITY = "MEDIUM"


class UnknownReferral(errors.NotFound):
    code = "referral_not_found"


@dataclass(frozen=True)
class RewardRules:
    referrer_reward: int
    referee_reward: int
    caps: ReferralCaps


@dataclass(frozen=True)
class RewardServices:
    users: UsersStore
    ledger: Ledger
    security: SecurityStore
    rules: RewardRules


def reward_referral(services: RewardServices, referral_id: str) -> str:
    """Decide the referral if still pending, credit it if rewarded; returns its final status."""
    referral = services.users.get_referral(referral_id)
    if referral is None:
        raise UnknownReferral("No such referral.", {"referral_id": referral_id})
    if referral.status == "PENDING":
        _decide(services, referral)
        referral = services.users.get_referral(referral_id) or referral
    if referral.status == "REWARDED":
        _credit(services, referral)
    logger.info("referral processed", extra={"referral_id": referral_id, "status": referral.status})
    return referral.status


def _decide(services: RewardServices, referral: ReferralItem) -> None:
    now = utc_now()
    referrer = services.users.get_profile(referral.referrer_id)
    if not is_active(referrer):
        # Erased (or being erased) since the referee signed up: an erased account earns nothing.
        services.users.decide_referral(referral.referral_id, "WITHHELD", "referrer_deleted", iso(now))
        return
    suspicion = _same_person_signal(services.users, referral, referrer)
    if suspicion is not None:
        services.security.record_fraud_event(
            derived_id("referral", referral.referral_id, "same-person"),
            referral.referrer_id,
            "REFERRAL_SELF_DEALING",
            FRAUD_SEVERITY,
            {"referral_id": referral.referral_id, "referee_id": referral.referee_id, "signal": suspicion},
        )
        services.users.decide_referral(referral.referral_id, "WITHHELD", suspicion, iso(now))
        return
    rules = services.rules
    caps = rules.caps
    claim = services.users.claim_reward(
        referral,
        day=now.date().isoformat(),
        day_expires_at=int((now + timedelta(days=2)).timestamp()),
        day_cap=caps.per_day,
        lifetime_cap=caps.lifetime,
        decided_at=iso(now),
        referrer_reward=rules.referrer_reward,
        referee_reward=rules.referee_reward,
    )
    if claim is RewardClaim.CAPPED:
        services.users.decide_referral(referral.referral_id, "CAPPED", "referrer_cap_reached", iso(now))


def _same_person_signal(users: UsersStore, referral: ReferralItem, referrer: ProfileItem) -> str | None:
    """Why the referee looks like the referrer: a shared device, or the same IPv4 /24."""
    devices = users.devices_of(referral.referrer_id)
    if referral.referee_device_id and any(d.device_id == referral.referee_device_id for d in devices):
        return "same_device"
    referrer_ips = {device.last_ip for device in devices} | {referrer.signup_ip}
    if any(same_network(referral.referee_ip, ip) for ip in referrer_ips):
        return "same_network"
    return None


def _credit(services: RewardServices, referral: ReferralItem) -> None:
    """Credit the amounts fixed when the referral was rewarded (a redelivery after a change of the
    reward settings still credits what the referrer's totals already count)."""
    for role, user_id, amount in (
        ("referrer", referral.referrer_id, int(referral.referrer_reward)),
        ("referee", referral.referee_id, int(referral.referee_reward)),
    ):
        services.ledger.credit(
            entry_id=derived_id("referral", referral.referral_id, role),
            user_id=user_id,
            amount=amount,
            entry_type=EntryType.REFERRAL,
            description="Referral reward",
            metadata={"referral_id": referral.referral_id, "role": role},
        )
