"""Referral rewards (spec §7): exactly once per referral, however often or concurrently its message is
delivered, and never past the referrer's caps or to an account that looks like the referrer's own.

Deciding is one conditional transaction (PENDING -> REWARDED plus both cap counters); crediting uses
ledger entry ids derived from the referral, so a redelivery after any crash completes the credits
without doubling them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from twtc_core import errors
from twtc_core.accounts.models import Profile, Referral, can_refer, is_active
from twtc_core.accounts.rules import ReferralCaps, same_network
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.dynamo import Transaction
from twtc_core.ids import derived_id
from twtc_core.ledger import EntryType, Ledger
from twtc_core.observability import logger
from twtc_core.security import SecurityStore
from twtc_core.stats import Metric, StatsStore

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
    profiles: ProfileStore
    devices: DeviceStore
    referrals: ReferralStore
    ledger: Ledger
    security: SecurityStore
    rules: RewardRules
    stats: StatsStore


def reward_referral(services: RewardServices, referral_id: str) -> str:
    """Decide the referral if still pending, credit it if rewarded; returns its final status."""
    referral = services.referrals.get(referral_id)
    if referral is None:
        raise UnknownReferral("No such referral.", {"referral_id": referral_id})
    if referral.status == "PENDING":
        _decide(services, referral)
        referral = services.referrals.get(referral_id) or referral
    if referral.status == "REWARDED":
        _credit(services, referral)
    logger.info("referral processed", extra={"referral_id": referral_id, "status": referral.status})
    return referral.status


def _decide(services: RewardServices, referral: Referral) -> None:
    now = utc_now()
    referrer = services.profiles.get(referral.referrer_id)
    if not is_active(referrer):
        # Erased (or being erased) since the referee signed up: an erased account earns nothing.
        services.referrals.decide(referral.referral_id, "WITHHELD", "referrer_deleted", iso(now))
        return
    if not can_refer(referrer):
        services.referrals.decide(referral.referral_id, "WITHHELD", "referrer_disabled", iso(now))
        return
    suspicion = _same_person_signal(services.devices, referral, referrer)
    if suspicion is not None:
        services.security.record_fraud_event(
            derived_id("referral", referral.referral_id, "same-person"),
            referral.referrer_id,
            "REFERRAL_SELF_DEALING",
            FRAUD_SEVERITY,
            {"referral_id": referral.referral_id, "referee_id": referral.referee_id, "signal": suspicion},
        )
        services.referrals.decide(referral.referral_id, "WITHHELD", suspicion, iso(now))
        return
    if _capped_instead_of_rewarded(services, referral, now):
        services.referrals.decide(referral.referral_id, "CAPPED", "referrer_cap_reached", iso(now))


def _capped_instead_of_rewarded(services: RewardServices, referral: Referral, now: datetime) -> bool:
    """Mark the referral REWARDED with the amounts it credits, count it against the referrer's daily and
    lifetime caps and add the referrer's amount to their referral earnings, in one transaction: only a
    PENDING referral, only while both caps have room. True when a cap had none (nothing was written; a
    referral decided meanwhile is not capped)."""
    rules = services.rules
    writes = Transaction()
    pending = services.referrals.reward_with(
        writes, referral.referral_id, iso(now), rules.referrer_reward, rules.referee_reward
    )
    services.referrals.count_day_with(
        writes,
        referral.referrer_id,
        now.date().isoformat(),
        int((now + timedelta(days=2)).timestamp()),
        rules.caps.per_day,
    )
    services.profiles.count_reward_with(
        writes, referral.referrer_id, rules.referrer_reward, rules.caps.lifetime
    )
    # The day's referral coins are counted when the amounts are fixed: once, whatever the credits' retries.
    reward_coins = rules.referrer_reward + rules.referee_reward
    services.stats.count_with(writes, utc_day(now), Metric.coins(EntryType.REFERRAL), reward_coins)
    failed = writes.commit()
    return bool(failed) and pending not in failed


def _same_person_signal(devices_store: DeviceStore, referral: Referral, referrer: Profile) -> str | None:
    """Why the referee looks like the referrer: a shared device, or the same IPv4 /24."""
    devices = devices_store.devices_of(referral.referrer_id)
    if referral.referee_device_id and any(d.device_id == referral.referee_device_id for d in devices):
        return "same_device"
    referrer_ips = {device.last_ip for device in devices} | {referrer.signup_ip}
    if any(same_network(referral.referee_ip, ip) for ip in referrer_ips):
        return "same_network"
    return None


def _credit(services: RewardServices, referral: Referral) -> None:
    """Credit the amounts fixed when the referral was rewarded (a redelivery after a change of the
    reward settings still credits what the referrer's totals already count)."""
    for role, user_id, amount in (
        ("referrer", referral.referrer_id, referral.referrer_reward or 0),
        ("referee", referral.referee_id, referral.referee_reward or 0),
    ):
        services.ledger.credit(
            entry_id=derived_id("referral", referral.referral_id, role),
            user_id=user_id,
            amount=amount,
            entry_type=EntryType.REFERRAL,
            description="Referral reward",
            metadata={"referral_id": referral.referral_id, "role": role},
        )
