"""Operations: the ops SNS topic every alarm notifies, and the alarms on the ledger's reconciliation."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra_cdk.constructs.function_factory import METRICS_NAMESPACE
from infra_cdk.wiring import FunctionSpec

DAY = Duration.days(1)
RECONCILE_FUNCTION = "reconcile"


class Operations(Construct):
    """`alarm(...)` raises an alarm to the ops topic; `watch_reconciliation` adds the ledger's alarms."""

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
        scope: Construct,
        id: str,
        *,
        description: str,
        metric: cloudwatch.IMetric,
        threshold: float = 0,
        below: bool = False,
        missing_data_breaches: bool = False,
    ) -> cloudwatch.Alarm:
        """An alarm on one evaluation period (above the threshold, or below it), sent to the ops topic."""
        alarm = cloudwatch.Alarm(
            scope,
            id,
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

    def watch_reconciliation(self, spec: FunctionSpec, function: lambda_.Function) -> None:
        """A drift found, accounts not summing to zero, a failed run, or no finished run in a day."""

        def reported(name: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=METRICS_NAMESPACE,
                metric_name=name,
                dimensions_map={"service": spec.name},
                period=DAY,
                statistic=cloudwatch.Stats.MAXIMUM,
            )

        self.alarm(
            self,
            "LedgerMismatches",
            description="Reconciliation found wallets or platform accounts differing from their entries",
            metric=reported("LedgerMismatches"),
        )
        self.alarm(
            self,
            "LedgerGlobalSum",
            description="Reconciliation found that the ledger's accounts do not sum to zero",
            metric=reported("LedgerGlobalSumAbs"),
        )
        self.alarm(
            self,
            "ReconciliationFailed",
            description="The reconciliation run failed (an error, or its 900 s timeout)",
            metric=function.metric_errors(period=DAY, statistic=cloudwatch.Stats.SUM),
        )
        self.alarm(
            self,
            "ReconciliationMissed",
            description="No reconciliation run finished in the last day (missed, failed or timed out)",
            metric=reported("LedgerReconciliationsCompleted"),
            threshold=1,
            below=True,
            # No data point at all is exactly the missed run this alarm is for.
            missing_data_breaches=True,
        )
