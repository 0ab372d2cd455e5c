"""The lobby: hosts who accept calls and are connected, ONLINE ones first, then BUSY ones; and anyone's
presence (public within the app).

The lobby is read from the sparse lobby entries of connected hosts (twtc_core.connections), so a page
costs what the connected hosts on it cost, never what the users table holds. It is walked twice: first
keeping the ONLINE hosts, then the BUSY ones; the cursor says which walk and after which host. Each entry's
profile is read with the page, so a host who stopped accepting calls (or was disabled by an admin), or
changed their rate, shows so at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from functions.lobby.models import HostOut, HostsOut, PresenceOut
from twtc_core.accounts.models import takes_calls
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.connections import ConnectionStore
from twtc_core.errors import InvalidCursor
from twtc_core.pagination import NOT_ISSUED, decode_cursor, encode_cursor
from twtc_core.push_messages import PresenceStatus

WALKS: tuple[PresenceStatus, ...] = ("ONLINE", "BUSY")


@dataclass(frozen=True)
class LobbyReads:
    connections: ConnectionStore
    profiles: ProfileStore


@dataclass(frozen=True)
class _Position:
    walk: PresenceStatus
    after: str | None  # the last host looked at in this walk

    def cursor(self) -> str | None:
        return encode_cursor({"walk": self.walk, "after": self.after})


def _position(cursor: str | None) -> _Position:
    decoded = decode_cursor(cursor)
    if decoded is None:
        return _Position("ONLINE", None)
    walk, after = decoded.get("walk"), decoded.get("after")
    if set(decoded) != {"walk", "after"} or walk not in WALKS or not isinstance(after, str):
        raise InvalidCursor(NOT_ISSUED)
    return _Position(walk, after)


def hosts(reads: LobbyReads, now: datetime, limit: int, cursor: str | None) -> HostsOut:
    position = _position(cursor)
    items: list[HostOut] = []
    while True:
        chunk = reads.connections.lobby_chunk(now, position.after, limit)
        busy = reads.connections.busy_among(chunk.host_ids)
        profiles = reads.profiles.get_many(chunk.host_ids)
        for host_id in chunk.host_ids:
            position = _Position(position.walk, host_id)
            status: PresenceStatus = "BUSY" if host_id in busy else "ONLINE"
            profile = profiles.get(host_id)
            if status != position.walk or not takes_calls(profile):
                continue
            items.append(
                HostOut(user_id=host_id, name=profile.name, call_rate=profile.call_rate, status=status)
            )
            if len(items) == limit:
                return HostsOut(items=items, next_cursor=position.cursor())
        if not chunk.exhausted:
            continue
        if position.walk == WALKS[-1]:
            return HostsOut(items=items, next_cursor=None)
        position = _Position(WALKS[WALKS.index(position.walk) + 1], None)


def presence(connections: ConnectionStore, user_id: str, now: datetime) -> PresenceOut:
    """Anyone's status; an id nobody has is simply OFFLINE (docs/decisions.md)."""
    return PresenceOut(user_id=user_id, status=connections.status_of(user_id, now))
