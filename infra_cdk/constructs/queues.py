"""SQS queues from the declared `QueueSpec`s, each with its dead-letter queue, the alarm on it, and the
Lambda event sources that consume it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge, construct_id
from infra_cdk.wiring import FunctionSpec, QueueSpec

if TYPE_CHECKING:  # operations imports the function factory, which imports this module
    from infra_cdk.constructs.operations import Operations

DEAD_LETTER_RETENTION = Duration.days(14)


class Queues(Construct):
    """`by_name` maps each declared queue's logical name to its queue (`dead_letters`: to its dead-letter
    queue); `subscribe` adds the consumers."""

    def __init__(
        self, scope: Construct, id: str, *, specs: Sequence[QueueSpec], operations: Operations
    ) -> None:
        super().__init__(scope, id)
        self._operations = operations
        self._specs = {spec.name: spec for spec in specs}
        self.dead_letters: dict[str, sqs.Queue] = {}
        self.by_name: dict[str, sqs.Queue] = {spec.name: self._queue(spec) for spec in specs}

    def _queue(self, spec: QueueSpec) -> sqs.Queue:
        scope = Construct(self, construct_id(spec.name))
        dead_letters = sqs.Queue(
            scope,
            "DeadLetters",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DEAD_LETTER_RETENTION,
        )
        acknowledge(dead_letters, "This is the dead-letter queue of its queue; it has none itself.", "SQS3")
        self.dead_letters[spec.name] = dead_letters
        self._operations.alarm(
            f"{construct_id(spec.name)}DeadLetters",
            runbook="dead-letters",
            subject=spec.name,
            description=f"Messages of the {spec.name} queue failed {spec.max_receive_count} times",
            metric=dead_letters.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(1), statistic=cloudwatch.Stats.MAXIMUM
            ),
        )
        return sqs.Queue(
            scope,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=dead_letters, max_receive_count=spec.max_receive_count
            ),
        )

    def grant_send(self, function: lambda_.Function, name: str) -> None:
        queue = self.by_name[name]
        queue.grant_send_messages(function)
        function.add_environment(self._specs[name].env_var, queue.queue_url)

    def subscribe(self, specs: Sequence[FunctionSpec], functions: Mapping[str, lambda_.Function]) -> None:
        """Each declared queue source becomes an event source reporting partial batch failures."""
        for spec in specs:
            for source in spec.queue_sources:
                visibility = self._specs[source.queue].visibility_timeout_seconds
                if visibility < spec.timeout_seconds:
                    # Lambda refuses the mapping; say so at synth rather than at deploy.
                    raise ValueError(
                        f"queue {source.queue!r}: visibility timeout {visibility}s is shorter than "
                        f"the {spec.name!r} function timeout {spec.timeout_seconds}s"
                    )
                functions[spec.name].add_event_source(
                    event_sources.SqsEventSource(
                        self.by_name[source.queue],
                        batch_size=source.batch_size,
                        report_batch_item_failures=True,
                    )
                )
