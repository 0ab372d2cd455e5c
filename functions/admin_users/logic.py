"""Admin rules for user accounts: only an admin may disable or enable an account. Disabling locks the
user out everywhere at once: Cognito refuses their password and refresh tokens, and the session cut-off
ends every access token they hold (within the session gate's stated delay); the account's referral
code earns nothing while it is disabled."""

from __future__ import annotations

from dataclasses import dataclass

from functions.admin_users.models import AccountAccessOut
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.models import is_active
from twtc_core.accounts.sessions import SessionGate
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.admin import Actor, require_admin
from twtc_core.cognito import UserPool
from twtc_core.errors import Conflict
from twtc_core.security import RequestOrigin, SecurityStore


class CannotDisableSelf(Conflict):
    code = "cannot_disable_self"


@dataclass(frozen=True)
class AdminUsersServices:
    profiles: ProfileStore
    pool: UserPool
    sessions: SessionGate
    security: SecurityStore


def disable(
    services: AdminUsersServices, actor: Actor, user_id: str, origin: RequestOrigin
) -> AccountAccessOut:
    """Never one's own account: the last admin could lock everybody out of the console."""
    require_admin(actor.groups)
    if user_id == actor.user_id:
        raise CannotDisableSelf("Administrators cannot disable their own account.")
    _require_account(services.profiles, user_id)
    services.profiles.set_disabled(user_id, disabled=True)
    services.pool.disable_user(user_id)
    services.pool.sign_out_everywhere(user_id)
    services.sessions.end_sessions(user_id)
    _audit(services, actor, "admin_disable_user", user_id, origin)
    return AccountAccessOut(user_id=user_id, enabled=False)


def enable(
    services: AdminUsersServices, actor: Actor, user_id: str, origin: RequestOrigin
) -> AccountAccessOut:
    """The user logs in again; the tokens they held when disabled stay dead."""
    require_admin(actor.groups)
    _require_account(services.profiles, user_id)
    services.pool.enable_user(user_id)
    services.profiles.set_disabled(user_id, disabled=False)
    _audit(services, actor, "admin_enable_user", user_id, origin)
    return AccountAccessOut(user_id=user_id, enabled=True)


def _require_account(profiles: ProfileStore, user_id: str) -> None:
    if not is_active(profiles.get(user_id)):
        raise ProfileNotFound("No such user.")


def _audit(
    services: AdminUsersServices, actor: Actor, action: str, user_id: str, origin: RequestOrigin
) -> None:
    """On the admin's record (who did what to whom), and on the user's (what happened to them)."""
    services.security.log_activity(actor.user_id, action, origin, resource=user_id)
    services.security.log_activity(user_id, action, RequestOrigin(), resource=f"by:{actor.user_id}")
