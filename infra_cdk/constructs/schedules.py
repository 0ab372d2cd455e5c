"""EventBridge rules from the declared schedules (billing tick, group windows, midnight reset, ...)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.constructs.naming import construct_id
from infra_cdk.wiring import FunctionSpec


class Schedules(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        specs: Sequence[FunctionSpec],
        functions: Mapping[str, lambda_.Function],
    ) -> None:
        super().__init__(scope, id)
        for spec in specs:
            for schedule in spec.schedules:
                events.Rule(
                    self,
                    construct_id(schedule.name),
                    description=f"{schedule.name}: {schedule.expression} -> {spec.name}",
                    schedule=events.Schedule.expression(schedule.expression),
                    targets=[
                        targets.LambdaFunction(
                            functions[spec.name],
                            event=events.RuleTargetInput.from_object(json.loads(schedule.input_json))
                            if schedule.input_json
                            else None,
                        )
                    ],
                )
