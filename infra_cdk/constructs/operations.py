"""Operations: the ops SNS topic every alarm notifies; the alarms on every function, the APIs and the ledger's
reconciliation.

Every alarm is named `<stack>-<runbook key>[-<subject>]`; `docs/runbook.md` has one section per key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra_cdk.constructs.function_factory import METRICS_NAMESPACE
from infra_cdk.constructs.naming import construct_id, deployed_stack_name
from infra_cdk.wiring import FunctionSpec

DAY = Duration.days(1)
FIVE_MINUTES = Duration.minutes(5)
RECONCILE_FUNCTION = "reconcile"
# Spec §12: p95 API latency under 200 ms, error rate under 0.1 %.
API_P95_LATENCY_MS = 200
API_5XX_RATE_PERCENT = 0.1


class Operations(Construct):
    """`alarm(...)` raises an alarm to the ops topic; the `watch_*` methods add the alarms of each part."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        # A key of our own: CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key,
        # whose policy cannot grant them its use.
        key = kms.Key(self, "TopicKey", description="Encrypts the ops alarm topic", enable_key_rotation=True)
        key.grant(iam.ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*")
        self.topic = sns.Topic(
            self, "Topic", display_name="TWTC operations", master_key=key, enforce_ssl=True
        )
        self._action = cloudwatch_actions.SnsAction(self.topic)

    def alarm(
        self,
        id: str,
        *,
        runbook: str,
        subject: str = "",
        description: str,
        metric: cloudwatch.IMetric,
        threshold: float = 0,
        below: bool = False,
        missing_data_breaches: bool = False,
    ) -> cloudwatch.Alarm:
        """An alarm on one evaluation period (above the threshold, or below it), sent to the ops topic; made
        here, whoever asks for it, so every alarm deploys with the topic (in the monitoring stack).

        `runbook` is its section in docs/runbook.md; `subject` tells alarms of one kind apart (a function,
        a queue).
        """
        alarm = cloudwatch.Alarm(
            self,
            id,
            alarm_name="-".join(filter(None, (deployed_stack_name(self), runbook, subject))),
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=(
                cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
                if below
                else cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
            ),
            evaluation_periods=1,
            treat_missing_data=(
                cloudwatch.TreatMissingData.BREACHING
                if missing_data_breaches
                else cloudwatch.TreatMissingData.NOT_BREACHING
            ),
        )
        alarm.add_alarm_action(self._action)
        return alarm

    def watch_functions(
        self, specs: Sequence[FunctionSpec], functions: Mapping[str, lambda_.Function]
    ) -> None:
        """Every function: any error (a raised exception or a timeout) or throttled invocation."""
        for spec in specs:
            function = functions[spec.name]
            # One alarm on the sum, not one per metric: either one means the same runbook section, and the
            # function's dashboard widget tells errors and throttles apart.
            self.alarm(
                f"{construct_id(spec.name)}Failures",
                runbook="function-failures",
                subject=spec.name,
                description=(
                    f"{spec.name} invocations failed (an exception or its {spec.timeout_seconds} s timeout) "
                    "or were throttled"
                ),
                metric=cloudwatch.MathExpression(
                    expression="errors + throttles",
                    using_metrics={
                        "errors": function.metric_errors(period=FIVE_MINUTES, statistic=cloudwatch.Stats.SUM),
                        "throttles": function.metric_throttles(
                            period=FIVE_MINUTES, statistic=cloudwatch.Stats.SUM
                        ),
                    },
                    label="errors + throttles",
                    period=FIVE_MINUTES,
                ),
            )
            if spec.name == RECONCILE_FUNCTION:
                self._watch_reconciliation(spec)

    def watch_http_api(self, api: apigw.HttpApi) -> None:
        """The 5xx share of requests and the p95 latency, against spec §12."""
        self.alarm(
            "HttpApi5xxRate",
            runbook="http-api-5xx-rate",
            description=f"More than {API_5XX_RATE_PERCENT} % of HTTP API requests answered 5xx",
            metric=cloudwatch.MathExpression(
                expression="IF(requests > 0, 100 * errors / requests, 0)",
                using_metrics={
                    "errors": api.metric_server_error(period=FIVE_MINUTES, statistic=cloudwatch.Stats.SUM),
                    "requests": api.metric_count(period=FIVE_MINUTES, statistic=cloudwatch.Stats.SUM),
                },
                label="5xx %",
                period=FIVE_MINUTES,
            ),
            threshold=API_5XX_RATE_PERCENT,
        )
        self.alarm(
            "HttpApiLatency",
            runbook="http-api-p95-latency",
            description=f"HTTP API p95 latency above {API_P95_LATENCY_MS} ms",
            metric=api.metric_latency(period=FIVE_MINUTES, statistic=cloudwatch.Stats.percentile(95)),
            threshold=API_P95_LATENCY_MS,
        )

    def watch_websocket_api(self, stage: apigw.WebSocketStage) -> None:
        """Failed integrations (a handler that errored or answered badly) and API Gateway's own errors."""
        self.alarm(
            "WebSocketErrors",
            runbook="websocket-errors",
            description="WebSocket messages or connections failed in the integration or in API Gateway",
            metric=cloudwatch.MathExpression(
                expression="integration + execution",
                using_metrics={
                    "integration": stage.metric(
                        "IntegrationError", period=FIVE_MINUTES, statistic=cloudwatch.Stats.SUM
                    ),
                    "execution": stage.metric(
                        "ExecutionError", period=FIVE_MINUTES, statistic=cloudwatch.Stats.SUM
                    ),
                },
                label="errors",
                period=FIVE_MINUTES,
            ),
        )

    def _watch_reconciliation(self, spec: FunctionSpec) -> None:
        """A drift found, accounts not summing to zero, or no finished run in a day (a failed run is the
        function's errors alarm)."""

        def reported(name: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=METRICS_NAMESPACE,
                metric_name=name,
                dimensions_map={"service": spec.name},
                period=DAY,
                statistic=cloudwatch.Stats.MAXIMUM,
            )

        self.alarm(
            "LedgerMismatches",
            runbook="ledger-mismatches",
            description="Reconciliation found wallets or platform accounts differing from their entries",
            metric=reported("LedgerMismatches"),
        )
        self.alarm(
            "LedgerGlobalSum",
            runbook="ledger-global-sum",
            description="Reconciliation found that the ledger's accounts do not sum to zero",
            metric=reported("LedgerGlobalSumAbs"),
        )
        self.alarm(
            "ReconciliationMissed",
            runbook="reconciliation-missed",
            description="No reconciliation run finished in the last day (missed, failed or timed out)",
            metric=reported("LedgerReconciliationsCompleted"),
            threshold=1,
            below=True,
            # No data point at all is exactly the missed run this alarm is for.
            missing_data_breaches=True,
        )
