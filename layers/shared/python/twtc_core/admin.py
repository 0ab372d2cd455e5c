"""Who may use the admin routes: members of the Cognito `admin` group (spec §4), as the access token says
(`twtc_core.api.caller_groups`); anyone else gets 403 `forbidden`, before anything is read."""

from __future__ import annotations

from dataclasses import dataclass

from twtc_core.errors import Forbidden

ADMIN_GROUP = "admin"
READER_GROUPS = frozenset({ADMIN_GROUP, "moderator"})  # may look users up (spec §9: moderators review)


class AdminOnly(Forbidden):
    code = "forbidden"


@dataclass(frozen=True)
class Actor:
    user_id: str
    groups: frozenset[str]


def require_admin(groups: frozenset[str]) -> None:
    if ADMIN_GROUP not in groups:
        raise AdminOnly("Only administrators may do this.")


def require_reader(groups: frozenset[str]) -> None:
    if not groups & READER_GROUPS:
        raise AdminOnly("Only administrators and moderators may do this.")
