"""SNS topics from the declared `TopicSpec`s (business notifications, not the ops alarms' topic)."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra_cdk.constructs.naming import construct_id
from infra_cdk.wiring import TopicSpec


class Topics(Construct):
    """`by_name` maps each declared topic's logical name to its topic; `grant_publish` wires a function."""

    def __init__(self, scope: Construct, id: str, *, specs: Sequence[TopicSpec]) -> None:
        super().__init__(scope, id)
        self._specs = {spec.name: spec for spec in specs}
        key = kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns")
        self.by_name: dict[str, sns.Topic] = {
            spec.name: sns.Topic(self, construct_id(spec.name), master_key=key, enforce_ssl=True)
            for spec in specs
        }

    def grant_publish(self, function: lambda_.Function, name: str) -> None:
        topic = self.by_name[name]
        topic.grant_publish(function)
        function.add_environment(self._specs[name].env_var, topic.topic_arn)
