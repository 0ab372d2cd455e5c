"""Mining rules (spec §4, §6; state machine in docs/mining.md).

A user starts a session with a watched MINING impression while their group's window is open, no session
runs and 4 hours have passed since their last start. Starting is one transaction (the impression spent
once, the user's mining lock taken, the session written), so concurrent starts yield one session.
Progress is computed on read; nothing is written until the session has ended, when it is credited exactly
once (the ledger's deterministic entry id, then a conditional ACTIVE -> COMPLETED) by whichever comes
first: the group's window job or the user's next read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from twtc_core import errors
from twtc_core.accounts.models import is_active
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import iso, utc_day, utc_now
from twtc_core.dynamo import Transaction
from twtc_core.earning import windows
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.earning.models import MiningSession
from twtc_core.earning.sessions import MiningStore
from twtc_core.earning.settings import BOOST_NONE, COOLDOWN, IDLE_AFTER, EarningSettings
from twtc_core.ids import derived_id, new_id
from twtc_core.ledger import EntryType, Ledger
from twtc_core.observability import logger
from twtc_core.push import Pusher
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.stats import Metric, StatsStore

MiningState = Literal["AVAILABLE", "ACTIVE", "WAITING_WINDOW", "COOLDOWN"]


class MiningActive(errors.Conflict):
    code = "mining_active"


class MiningCooldown(errors.Conflict):
    code = "mining_cooldown"


class WindowClosed(errors.Conflict):
    code = "window_closed"


class ImpressionInvalid(errors.Invalid):
    code = "impression_invalid"


class NoMiningGroup(errors.Conflict):
    code = "account_not_ready"


@dataclass(frozen=True)
class MiningServices:
    profiles: ProfileStore
    sessions: MiningStore
    impressions: ImpressionStore
    ledger: Ledger
    security: SecurityStore
    stats: StatsStore
    settings: EarningSettings

    @classmethod
    def wired(cls, settings: EarningSettings) -> MiningServices:
        """With the real stores: what the mining API and the group window jobs run with."""
        return cls(
            profiles=ProfileStore(),
            sessions=MiningStore(),
            impressions=ImpressionStore(),
            ledger=Ledger(),
            security=SecurityStore(),
            stats=StatsStore(),
            settings=settings,
        )


@dataclass(frozen=True)
class MiningView:
    state: MiningState
    group: int
    session: MiningSession | None
    accrued: int
    next_window_at: datetime
    window_closes_at: datetime | None


def mining_status(services: MiningServices, user_id: str) -> MiningView:
    """The user's mining state at this instant; settles their ended session if nothing has yet."""
    group = _group_of(services, user_id)
    latest = _settled_if_ended(services, services.sessions.latest_of(user_id))
    return _view(services.settings, group, latest, utc_now())


def start_session(
    services: MiningServices, user_id: str, impression_id: str, origin: RequestOrigin
) -> MiningSession:
    group = _group_of(services, user_id)
    now = utc_now()
    settings = services.settings
    _require_available(
        _view(settings, group, _settled_if_ended(services, services.sessions.latest_of(user_id)), now)
    )
    session = MiningSession(
        session_id=new_id(),
        user_id=user_id,
        group=group,
        started_at=now,
        ends_at=now + settings.session_length,
        base_reward=settings.base_reward,
        boost_multiplier=BOOST_NONE,
        status="ACTIVE",
    )
    writes = Transaction()
    spent = services.impressions.use_with(
        writes,
        impression_id=impression_id,
        user_id=user_id,
        placement="MINING",
        used_for=derived_id("mining", session.session_id),
        now=now,
        network_confirmed=settings.require_ad_ssv,
    )
    lock = services.sessions.start_with(writes, session, impression_id, now - COOLDOWN)
    services.security.log_activity_with(
        writes, user_id, "mining_started", origin, resource=session.session_id
    )
    services.stats.count_with(writes, utc_day(now), Metric.MINING_SESSIONS)
    failed = writes.commit()
    if spent in failed:
        raise ImpressionInvalid(
            "Start mining with your own watched MINING ad, unused and at most "
            f"{settings.impression_ttl_minutes} minutes old"
            + (", confirmed by the ad network." if settings.require_ad_ssv else "."),
            {"impression_id": impression_id},
        )
    if lock in failed:
        raise MiningActive("A mining session is running.")
    return session


def settle(services: MiningServices, session: MiningSession) -> bool:
    """Credit the ended session's base reward (its boosts were credited as `BOOST` when answered) and
    mark it settled; False when it was settled before (the credit's deterministic id makes a retry after
    a crash between the two steps credit nothing more). The coins are counted by whoever settles it."""
    services.ledger.credit(
        entry_id=derived_id("mining", session.session_id),
        user_id=session.user_id,
        amount=session.base_reward,
        entry_type=EntryType.MINING,
        description="Mining session",
        metadata={"session_id": session.session_id, "boost_multiplier": session.boost_multiplier},
    )
    settled = services.sessions.mark_settled(session, utc_now())
    if settled:
        services.stats.count(utc_day(), Metric.coins(EntryType.MINING), session.base_reward)
    return settled


@dataclass(frozen=True)
class WindowRun:
    group: int
    settled: int
    notified: int


def run_group_window(services: MiningServices, pusher: Pusher, group: int) -> WindowRun:
    """As the group's window opens or closes: settle its sessions that came due (the sparse `due` index:
    never the group's other sessions) and tell each such user `mining.completed`; as it opens, tell the
    group's recent miners (a start in the last 7 days) `mining.window_open`."""
    now = utc_now()
    settled_users: list[str] = []
    for session in services.sessions.due_in_group(group, now):
        if settle(services, session):
            settled_users.append(session.user_id)
            pusher.to_user(
                session.user_id,
                {"type": "mining.completed", "session_id": session.session_id, "amount": session.base_reward},
            )
    notified = _announce_window(services, pusher, group, now)
    logger.info("group window", extra={"group": group, "settled": len(settled_users)})
    return WindowRun(group=group, settled=len(settled_users), notified=notified)


def _announce_window(services: MiningServices, pusher: Pusher, group: int, now: datetime) -> int:
    window = windows.open_window(group, now, services.settings.mining_window_minutes)
    if window is None:  # the closing run, or a run by hand outside the window: nothing to announce
        return 0
    message: dict[str, Any] = {
        "type": "mining.window_open",
        "group": group,
        "window_closes_at": iso(window.closes_at),
    }
    recent = services.sessions.miners_since(group, now - IDLE_AFTER)
    return sum(pusher.to_user(user_id, message) for user_id in recent)


def _require_available(view: MiningView) -> None:
    last = view.session
    if view.state == "ACTIVE" and last is not None:
        raise MiningActive("A mining session is running.", {"ends_at": iso(last.ends_at)})
    if view.state == "COOLDOWN" and last is not None:
        raise MiningCooldown(
            "Wait 4 hours between starts.", {"next_start_at": iso(last.started_at + COOLDOWN)}
        )
    if view.state != "AVAILABLE":
        raise WindowClosed(
            "Your group's mining window is closed.", {"next_window_at": iso(view.next_window_at)}
        )


def _group_of(services: MiningServices, user_id: str) -> int:
    profile = services.profiles.get(user_id)
    if not is_active(profile) or profile.group is None:
        raise NoMiningGroup("Your account is still being set up; try again shortly.")
    return profile.group


def _settled_if_ended(services: MiningServices, latest: MiningSession | None) -> MiningSession | None:
    if latest is None or latest.status != "ACTIVE" or not latest.has_ended(utc_now()):
        return latest
    settle(services, latest)
    return replace(latest, status="COMPLETED")


def _view(settings: EarningSettings, group: int, latest: MiningSession | None, now: datetime) -> MiningView:
    window = windows.open_window(group, now, settings.mining_window_minutes)
    state: MiningState
    if latest is not None and not latest.has_ended(now):
        state = "ACTIVE"
    elif latest is not None and now - latest.started_at < COOLDOWN:
        state = "COOLDOWN"
    elif window is not None:
        state = "AVAILABLE"
    else:
        state = "WAITING_WINDOW"
    return MiningView(
        state=state,
        group=group,
        session=latest,
        accrued=latest.accrued_at(now) if latest is not None else 0,
        next_window_at=windows.next_window_at(group, now),
        window_closes_at=window.closes_at if window is not None else None,
    )
