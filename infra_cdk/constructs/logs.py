"""Log groups with one retention policy, and the access-log settings both API stages use."""

from __future__ import annotations

import json

import jsii
from aws_cdk import aws_apigateway as apigw_v1
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_logs as logs
from constructs import Construct

RETENTION = logs.RetentionDays.ONE_MONTH
# $context variables both API kinds log; each adds its own (latency, event type, connection id...).
COMMON_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "error": "$context.error.message",
    "integrationError": "$context.integrationErrorMessage",
}


def log_group(scope: Construct, construct_id: str) -> logs.LogGroup:
    return logs.LogGroup(scope, construct_id, retention=RETENTION)


@jsii.implements(apigw.IAccessLogSettings)
class AccessLogs:
    """JSON access logs (one line per request) into a log group: the common fields plus `extra_fields`."""

    def __init__(self, group: logs.ILogGroup, extra_fields: dict[str, str]) -> None:
        self._destination = apigw.LogGroupLogDestination(group)
        self._format = apigw_v1.AccessLogFormat.custom(json.dumps(COMMON_ACCESS_LOG_FIELDS | extra_fields))

    @property
    def destination(self) -> apigw.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigw_v1.AccessLogFormat:
        return self._format
