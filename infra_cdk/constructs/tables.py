"""DynamoDB tables from the declared `TableSpec`s: on-demand, point-in-time recovery, encrypted, retained;
and the functions reading their streams (filtered, with a dead-letter queue and its alarm)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge, construct_id, logical_id
from infra_cdk.wiring import Access, FunctionSpec, StreamSource, TableSpec

if TYPE_CHECKING:  # operations imports the function factory, which imports this module
    from infra_cdk.constructs.operations import Operations

STREAM_FAILURE_RETENTION = Duration.days(14)


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Tables(Construct):
    """`by_name` maps each declared table's logical name to its table. CloudFormation names them."""

    def __init__(self, scope: Construct, id: str, *, specs: Sequence[TableSpec]) -> None:
        super().__init__(scope, id)
        self._specs = {spec.name: spec for spec in specs}
        self.by_name: dict[str, dynamodb.Table] = {spec.name: self._table(spec) for spec in specs}
        # (function, table) -> the queue its stream source sends the records it gave up on
        self.stream_failures: dict[tuple[str, str], sqs.Queue] = {}

    def grant(self, function: lambda_.Function, name: str, access: Access) -> None:
        """Read (or read and write) data on one table and its indexes; the function gets its name."""
        table = self.by_name[name]
        if access == "write":
            table.grant_read_write_data(function)
        else:
            table.grant_read_data(function)
        function.add_environment(self._specs[name].env_var, table.table_name)
        if self._specs[name].indexes:
            acknowledge(
                function.role or function,
                f"Queries through the {name} table's own secondary indexes (table/index/*), nothing else.",
                f"IAM5[Resource::<{logical_id(table)}.Arn>/index/*]",
            )

    def grant_puts_under(self, function: lambda_.Function, name: str, key_prefix: str) -> None:
        """PutItem on one table, only for items whose partition key starts with `key_prefix`."""
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["dynamodb:PutItem"],
                resources=[self.by_name[name].table_arn],
                conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{key_prefix}*"]}},
            )
        )

    def subscribe(
        self, specs: Sequence[FunctionSpec], functions: Mapping[str, lambda_.Function], operations: Operations
    ) -> None:
        """Each declared stream source: only INSERTs under its key prefix invoke the function (event source
        filter), failures are reported per record and bisected, and a record still failing after its
        attempts is sent (as its stream coordinates) to a dead-letter queue with an alarm."""
        for spec in specs:
            for source in spec.stream_sources:
                self._subscribe(spec, functions[spec.name], source, operations)

    def _subscribe(
        self, spec: FunctionSpec, function: lambda_.Function, source: StreamSource, operations: Operations
    ) -> None:
        table = self.by_name[source.table]
        if not self._specs[source.table].stream:
            raise ValueError(f"{spec.name!r} reads the stream of {source.table!r}, which declares none")
        scope = Construct(self, construct_id(f"{spec.name}_{source.table}_stream"))
        failures = sqs.Queue(
            scope,
            "Failures",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=STREAM_FAILURE_RETENTION,
        )
        acknowledge(failures, "This is the stream source's failure destination; it has none itself.", "SQS3")
        self.stream_failures[spec.name, source.table] = failures
        operations.alarm(
            f"{construct_id(f'{spec.name}_{source.table}')}StreamFailures",
            runbook="stream-failures",
            subject=f"{spec.name}-{source.table}",
            description=f"{spec.name} gave up on records of the {source.table} stream",
            metric=failures.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(1), statistic=cloudwatch.Stats.MAXIMUM
            ),
        )
        function.add_event_source(
            event_sources.DynamoEventSource(
                table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=source.batch_size,
                bisect_batch_on_error=True,
                retry_attempts=source.max_attempts,
                report_batch_item_failures=True,
                on_failure=event_sources.SqsDlq(failures),
                filters=[
                    lambda_.FilterCriteria.filter(
                        {
                            "eventName": lambda_.FilterRule.is_equal("INSERT"),
                            "dynamodb": {
                                "Keys": {
                                    self._specs[source.table].partition_key: {
                                        "S": lambda_.FilterRule.begins_with(source.key_prefix)
                                    }
                                }
                            },
                        }
                    )
                ],
            )
        )

    def _table(self, spec: TableSpec) -> dynamodb.Table:
        table = dynamodb.Table(
            self,
            construct_id(spec.name),
            partition_key=_string_key(spec.partition_key),
            sort_key=_string_key(spec.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            time_to_live_attribute=spec.ttl_attribute,
            stream=dynamodb.StreamViewType.NEW_IMAGE if spec.stream else None,
            deletion_protection=True,
            # The ledger and user data must outlive a mistaken `cdk destroy`.
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in spec.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_string_key(index.partition_key),
                sort_key=_string_key(index.sort_key),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table
