"""Profile API handler: parse, call one logic function, shape the response."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.profile import logic
from functions.profile.models import ExportOut, ProfileOut, ProfilePatch
from twtc_core.accounts.errors import (
    AccountBeingSetUp,
    InvalidProfileChange,
    ProfileNotFound,
    ReauthenticationRequired,
)
from twtc_core.accounts.queues import ProvisioningQueue
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.api import authenticated_at, build_resolver, caller_id, documented, session_gate
from twtc_core.cognito import UserPool
from twtc_core.edge import request_origin
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.store import KycStore
from twtc_core.ledger import Ledger
from twtc_core.observability import logger, metrics, tracer
from twtc_core.security import RequestOrigin, SecurityStore
from twtc_core.settings import BaseFunctionSettings
from twtc_core.withdrawals.store import WithdrawalStore


class ProfileSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    provisioning_queue_url: str
    min_call_rate_per_minute: int
    max_call_rate_per_minute: int


settings = ProfileSettings()
services = logic.ProfileServices(
    profiles=ProfileStore(),
    codes=CodeStore(),
    inboxes=InboxStore(),
    devices=DeviceStore(),
    referrals=ReferralStore(),
    ledger=Ledger(),
    security=SecurityStore(),
    pool=UserPool(settings.user_pool_id, settings.user_pool_client_id, settings.aws_region),
    provisioning=ProvisioningQueue(settings.provisioning_queue_url, settings.aws_region),
    call_rates=logic.CallRateBounds(settings.min_call_rate_per_minute, settings.max_call_rate_per_minute),
    sessions=session_gate(),
    kyc=KycStore(),
    documents=DocumentStore(),
    withdrawals=WithdrawalStore(),
)
app = build_resolver()


def origin() -> RequestOrigin:
    return request_origin(app)


@app.get("/v1/me", summary="My profile", responses=documented(ProfileOut, ProfileNotFound, AccountBeingSetUp))
def get_profile() -> ProfileOut:
    return logic.my_profile(services, caller_id(app))


@app.patch(
    "/v1/me",
    summary="Change my name, host availability or call rate",
    description="Send at least one field; fields left out stay as they are.",
    responses=documented(ProfileOut, ProfileNotFound, AccountBeingSetUp, InvalidProfileChange),
)
def change_profile(patch: ProfilePatch) -> ProfileOut:
    return logic.change_profile(services, caller_id(app), patch, origin())


@app.get(
    "/v1/me/export",
    summary="Everything held about me (GDPR access and portability)",
    responses=documented(ExportOut, ProfileNotFound, AccountBeingSetUp),
)
def export() -> ExportOut:
    return logic.export(services, caller_id(app), origin())


@app.delete(
    "/v1/me",
    summary="Erase my account (GDPR); the ledger is kept under a pseudonymous id",
    description="Only within 5 minutes of typing the password (log in again first).",
    responses=documented(
        None,
        ReauthenticationRequired,
        ProfileNotFound,
        status=HTTPStatus.NO_CONTENT,
        description="Erased; nothing to return.",
    ),
)
def erase() -> Response[None]:
    logic.erase(services, caller_id(app), authenticated_at(app))
    return Response(status_code=HTTPStatus.NO_CONTENT)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
