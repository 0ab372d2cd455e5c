"""The admin check of admin APIs: the caller's Cognito groups (`twtc_core.api.caller_groups`) must hold
`admin`; anyone else gets 403 `forbidden`, before anything is read."""

from __future__ import annotations

from twtc_core.errors import Forbidden

ADMIN_GROUP = "admin"


class AdminOnly(Forbidden):
    code = "forbidden"


def require_admin(groups: frozenset[str]) -> None:
    if ADMIN_GROUP not in groups:
        raise AdminOnly("Only administrators may do this.")
