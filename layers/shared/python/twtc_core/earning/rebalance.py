"""Weekly group rebalance (spec §6): users who have not mined for 7 days leave groups more than 10 % above
the mean size for the smallest groups, until their group is back at the mean. Never a user whose session
runs. Each move is one transaction (profile group, both group counters, the miner's index entry), so the
counters stay exact whatever else happens. The cost grows with the idle miners of oversized groups only
(the `miners` index, longest idle first), never with all users.
"""

from __future__ import annotations

from dataclasses import dataclass

from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import iso, utc_now
from twtc_core.dynamo import Transaction
from twtc_core.earning import windows
from twtc_core.earning.sessions import MiningStore
from twtc_core.earning.settings import IDLE_AFTER
from twtc_core.observability import logger
from twtc_core.push import Pusher

OVERSIZED_ABOVE_MEAN = 1.10


@dataclass(frozen=True)
class RebalanceServices:
    profiles: ProfileStore
    groups: GroupStore
    sessions: MiningStore
    pusher: Pusher
    group_count: int


@dataclass(frozen=True)
class Rebalance:
    moved: int
    sizes: dict[int, int]


def rebalance_groups(services: RebalanceServices) -> Rebalance:
    now = utc_now()
    known = services.groups.sizes()
    sizes = {group: known.get(group, 0) for group in range(1, services.group_count + 1)}
    mean = sum(sizes.values()) / len(sizes)
    moved = 0
    for group in [g for g in sorted(sizes) if sizes[g] > mean * OVERSIZED_ABOVE_MEAN]:
        for user_id in services.sessions.idle_miners(group, now - IDLE_AFTER):
            target = min(sizes, key=lambda g: (sizes[g], g))
            if sizes[group] <= mean or sizes[target] + 1 >= sizes[group]:
                break
            if _move(services, user_id, group, target):
                sizes[group], sizes[target], moved = sizes[group] - 1, sizes[target] + 1, moved + 1
                next_window = windows.next_window_at(target, now)
                services.pusher.to_user(
                    user_id, {"type": "group.changed", "group": target, "next_window_at": iso(next_window)}
                )
    logger.info("groups rebalanced", extra={"moved": moved, "sizes": sizes})
    return Rebalance(moved=moved, sizes=sizes)


def _move(services: RebalanceServices, user_id: str, from_group: int, to_group: int) -> bool:
    """All or nothing: nothing moves if the user left the group meanwhile or started mining."""
    writes = Transaction()
    services.profiles.move_group_with(writes, user_id, from_group, to_group)
    services.sessions.move_with(writes, user_id, from_group, to_group, utc_now())
    services.groups.move_with(writes, from_group, to_group)
    return not writes.commit()
