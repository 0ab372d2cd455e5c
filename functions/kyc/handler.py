"""KYC API handler: parse, call one logic function, shape the response.

The submission's body carries a full document number: the event is never logged and the tracer records
no response (docs/decisions.md, "KYC data retention")."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.kyc import logic
from functions.kyc.models import KycOut, SubmissionIn, SubmissionOut, UploadIn, UploadOut
from twtc_core.api import build_resolver, caller_id, documented
from twtc_core.kyc.documents import DocumentStore
from twtc_core.kyc.providers import configured_provider
from twtc_core.kyc.store import KycStore
from twtc_core.kyc.verification import RetryQueue, Verification
from twtc_core.observability import logger, metrics, tracer
from twtc_core.settings import BaseFunctionSettings


class KycSettings(BaseFunctionSettings):
    kyc_submissions_queue_url: str


settings = KycSettings()
store = KycStore()
services = logic.KycServices(
    documents=DocumentStore(),
    store=store,
    verification=Verification(configured_provider(), store),
    retries=RetryQueue(settings.kyc_submissions_queue_url, settings.aws_region),
)
app = build_resolver()


@app.post(
    "/v1/kyc/uploads",
    summary="A presigned POST form to upload an identity document (5 minutes, at most 5 MB)",
    responses=documented(UploadOut, HTTPStatus.UNAUTHORIZED, HTTPStatus.UNPROCESSABLE_ENTITY),
)
def grant_upload(request: UploadIn) -> UploadOut:
    return logic.grant_upload(services, caller_id(app), request)


@app.post(
    "/v1/kyc/submissions",
    summary="Submit an uploaded document and its number for verification",
    responses=documented(
        SubmissionOut,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.NOT_FOUND,
        HTTPStatus.CONFLICT,
        HTTPStatus.UNPROCESSABLE_ENTITY,
        status=HTTPStatus.ACCEPTED,
    ),
)
def submit(request: SubmissionIn) -> Response[SubmissionOut]:
    accepted = logic.submit(services, caller_id(app), request)
    return Response(HTTPStatus.ACCEPTED, content_types.APPLICATION_JSON, accepted)


@app.get("/v1/kyc", summary="My identity verification", responses=documented(KycOut, HTTPStatus.UNAUTHORIZED))
def my_kyc() -> KycOut:
    return logic.my_kyc(services, caller_id(app))


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
