"""DynamoDB tables from the declared `TableSpec`s: on-demand, point-in-time recovery, encrypted, retained."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge, construct_id, logical_id
from infra_cdk.wiring import Access, TableSpec


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Tables(Construct):
    """`by_name` maps each declared table's logical name to its table. CloudFormation names them."""

    def __init__(self, scope: Construct, id: str, *, specs: Sequence[TableSpec]) -> None:
        super().__init__(scope, id)
        self._specs = {spec.name: spec for spec in specs}
        self.by_name: dict[str, dynamodb.Table] = {spec.name: self._table(spec) for spec in specs}

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
