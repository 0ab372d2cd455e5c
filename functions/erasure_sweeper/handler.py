"""Erasure sweeper: finish every erasure an interrupted DELETE /v1/me left pending (the sparse
pending-erasures index, never a scan), a bounded number per run."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from twtc_core.accounts.erasure import ErasureServices, finish_pending_erasures
from twtc_core.accounts.stores.codes import CodeStore
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.accounts.stores.inboxes import InboxStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.accounts.stores.referrals import ReferralStore
from twtc_core.cognito import UserPool
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.store import KycStore
from twtc_core.observability import logger, metrics
from twtc_core.security import SecurityStore
from twtc_core.settings import BaseFunctionSettings
from twtc_core.withdrawals.store import WithdrawalStore


class SweeperSettings(BaseFunctionSettings):
    user_pool_id: str
    user_pool_client_id: str
    erasures_per_run: int = 100  # well inside the timeout; the rest waits for the next run


settings = SweeperSettings()
services = ErasureServices(
    profiles=ProfileStore(),
    codes=CodeStore(),
    inboxes=InboxStore(),
    devices=DeviceStore(),
    referrals=ReferralStore(),
    security=SecurityStore(),
    pool=UserPool(settings.user_pool_id, settings.user_pool_client_id, settings.aws_region),
    kyc=KycStore(),
    documents=DocumentStore(),
    withdrawals=WithdrawalStore(),
)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    finished = finish_pending_erasures(services, settings.erasures_per_run)
    logger.info("erasure sweep", extra={"finished": finished})
    return {"finished": finished}
