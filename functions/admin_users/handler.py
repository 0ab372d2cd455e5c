"""Admin users API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.admin_users import logic
from functions.admin_users.models import AccountAccessOut, UserDetailOut, UsersOut
from twtc_core.accounts.errors import ProfileNotFound
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.admin import StaffOnly
from twtc_core.api import build_resolver, caller_actor, documented, session_gate
from twtc_core.cognito import UserPool
from twtc_core.edge import request_origin
from twtc_core.fraud.store import FraudStore
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.settings import BaseFunctionSettings


class AdminUsersSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str


settings = AdminUsersSettings()
services = logic.AdminUsersServices(
    profiles=ProfileStore(),
    pool=UserPool(settings.user_pool_id, settings.user_pool_client_id, settings.aws_region),
    sessions=session_gate(),
    security=SecurityStore(),
    codes=CodeStore(),
    devices=DeviceStore(),
    fraud=FraudStore(),
    ledger=Ledger(),
)
app = build_resolver()
RESPONSES = documented(AccountAccessOut, StaffOnly, ProfileNotFound, logic.CannotDisableSelf)


@app.get(
    "/v1/admin/users",
    summary="Find a user by e-mail, phone, user id or referral code (admin, moderator)",
    responses=documented(UsersOut, HTTPStatus.BAD_REQUEST, StaffOnly),
)
def search_users(query: Annotated[str, Query(min_length=1, max_length=320)]) -> UsersOut:
    return logic.search(services, caller_actor(app), query)


@app.get(
    "/v1/admin/users/<id>",
    summary="A user's profile, wallet, trust and devices (admin, moderator)",
    responses=documented(UserDetailOut, StaffOnly, ProfileNotFound),
)
def user_detail(id: str) -> UserDetailOut:
    return logic.user_detail(services, caller_actor(app), id)


def origin() -> RequestOrigin:
    return request_origin(app)


@app.post("/v1/admin/users/<id>/disable", summary="Disable an account (admin)", responses=RESPONSES)
def disable(id: str) -> AccountAccessOut:
    return logic.disable(services, caller_actor(app), id, origin())


@app.post("/v1/admin/users/<id>/enable", summary="Enable a disabled account (admin)", responses=RESPONSES)
def enable(id: str) -> AccountAccessOut:
    return logic.enable(services, caller_actor(app), id, origin())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
