"""Who may use the admin routes: members of the Cognito `admin` group (spec §4), as the access token says."""

from __future__ import annotations

from dataclasses import dataclass

from twtc_core.errors import Forbidden

ADMIN_GROUP = "admin"


class AdminOnly(Forbidden):
    code = "forbidden"


@dataclass(frozen=True)
class Actor:
    user_id: str
    groups: frozenset[str]


def require_admin(actor: Actor) -> None:
    if ADMIN_GROUP not in actor.groups:
        raise AdminOnly("Only administrators may do this.")
