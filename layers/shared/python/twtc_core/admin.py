"""Who may use the admin routes, and how their actions are recorded. Admins (the Cognito `admin` group,
spec §4) may do everything; moderators review (spec §9: fraud, KYC, user look-ups). The groups come from
the access token (`twtc_core.api.caller_actor`); anyone else gets 403 `forbidden`, before anything is
read. Every admin action is audited on the actor's activity and on the user's."""

from __future__ import annotations

from dataclasses import dataclass

from twtc_core.errors import Forbidden
from twtc_core.security import RequestOrigin, SecurityStore

ADMIN_GROUP = "admin"
REVIEWER_GROUPS = frozenset({ADMIN_GROUP, "moderator"})


class StaffOnly(Forbidden):
    code = "forbidden"


@dataclass(frozen=True)
class Actor:
    """Who calls an admin route: their user id and Cognito groups."""

    user_id: str
    groups: frozenset[str]


def require_admin(actor: Actor) -> None:
    if ADMIN_GROUP not in actor.groups:
        raise StaffOnly("Only administrators may do this.")


def require_reviewer(actor: Actor) -> None:
    if not actor.groups & REVIEWER_GROUPS:
        raise StaffOnly("Only administrators and moderators may do this.")


def audit(
    security: SecurityStore,
    actor: Actor,
    action: str,
    user_id: str,
    origin: RequestOrigin,
    *,
    resource: str | None = None,
) -> None:
    """On the actor's record who did what to whom (or to which `resource` of theirs), and on the user's
    what happened to them and by whom."""
    security.log_activity(actor.user_id, action, origin, resource=resource or user_id)
    security.log_activity(user_id, action, RequestOrigin(), resource=f"by:{actor.user_id}")
