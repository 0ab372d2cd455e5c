"""The ops topic and the alarms that raise to it (every function, the APIs, the queues, the ledger's
reconciliation), their runbook, and the dashboards of each domain."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from infra_cdk.constructs.dashboards import DOMAINS, domain_of
from infra_cdk.wiring import FUNCTIONS
from tests.infrastructure.conftest import Synthesized
from twtc_core.ledger.reconcile import STOP_MARGIN_MS

RUNBOOK = Path(__file__).resolve().parents[2] / "docs" / "runbook.md"


def alarms_by_description(monitoring: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        alarm["Properties"]["AlarmDescription"]: alarm["Properties"]
        for alarm in monitoring.resources("AWS::CloudWatch::Alarm").values()
    }


def topic_ref(monitoring: Synthesized) -> dict[str, str]:
    return {"Ref": monitoring.logical_id(monitoring.stack.operations.topic)}


def alarm_names(monitoring: Synthesized) -> list[str]:
    return [
        alarm["Properties"]["AlarmName"] for alarm in monitoring.resources("AWS::CloudWatch::Alarm").values()
    ]


def used_metrics(alarm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The metrics a metric-math alarm combines, by their id in its expression."""
    return {query["Id"]: query["MetricStat"]["Metric"] for query in alarm["Metrics"] if "MetricStat" in query}


def test_the_ops_topic_is_encrypted_with_a_key_cloudwatch_may_use_and_refuses_plain_http(
    monitoring: Synthesized,
) -> None:
    ops_topic = monitoring.logical_id(monitoring.stack.operations.topic)
    topic = monitoring.template["Resources"][ops_topic]
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = monitoring.template["Resources"][key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    assert any(
        statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        and set(statement["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
        for statement in key["KeyPolicy"]["Statement"]
    )
    (policy,) = [
        policy
        for policy in monitoring.resources("AWS::SNS::TopicPolicy").values()
        if policy["Properties"]["Topics"] == [{"Ref": ops_topic}]
    ]
    assert any(
        statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    )


def test_monitoring_is_in_its_nested_stack_and_the_parent_reads_only_the_ops_topic_arn_from_it(
    synthesized: Synthesized, monitoring: Synthesized
) -> None:
    # Given the parent stack and the nested monitoring stack
    (nested_id,) = synthesized.resources("AWS::CloudFormation::Stack")
    # Then the ops topic, the alarms and the dashboards are in the nested stack, none in the parent
    assert topic_ref(monitoring)["Ref"] in monitoring.template["Resources"]
    assert len(monitoring.resources("AWS::CloudWatch::Alarm")) > len(FUNCTIONS)
    assert len(monitoring.resources("AWS::CloudWatch::Dashboard")) == len(DOMAINS)
    assert synthesized.resources("AWS::CloudWatch::Alarm") == {}
    assert synthesized.resources("AWS::CloudWatch::Dashboard") == {}
    # And nothing of the parent depends on it but the ops topic output (a dependency back would be a cycle)
    resources = json.dumps(
        {key: value for key, value in synthesized.template["Resources"].items() if key != nested_id}
    )
    assert nested_id not in resources
    outputs = synthesized.template["Outputs"].values()
    (topic_output,) = [output["Value"] for output in outputs if nested_id in json.dumps(output)]
    nested_output = topic_output["Fn::GetAtt"][1].removeprefix("Outputs.")
    assert monitoring.template["Outputs"][nested_output]["Value"] == topic_ref(monitoring)
    assert synthesized.template["Outputs"]["OpsTopicArn"]["Value"] == topic_output


def test_every_alarm_raises_to_the_ops_topic(monitoring: Synthesized) -> None:
    alarms = alarms_by_description(monitoring)
    assert any("queue failed" in description for description in alarms)  # the dead-letter alarms too
    assert all(alarm["AlarmActions"] == [topic_ref(monitoring)] for alarm in alarms.values())


def test_a_ledger_mismatch_or_a_non_zero_global_sum_raises_an_alarm(monitoring: Synthesized) -> None:
    alarms = alarms_by_description(monitoring)
    mismatches = alarms["Reconciliation found wallets or platform accounts differing from their entries"]
    assert (mismatches["Namespace"], mismatches["MetricName"]) == ("TWTC", "LedgerMismatches")
    assert mismatches["Dimensions"] == [{"Name": "service", "Value": "reconcile"}]
    assert (mismatches["ComparisonOperator"], mismatches["Threshold"]) == ("GreaterThanThreshold", 0)
    global_sum = alarms["Reconciliation found that the ledger's accounts do not sum to zero"]
    assert global_sum["MetricName"] == "LedgerGlobalSumAbs"
    assert (global_sum["ComparisonOperator"], global_sum["Threshold"]) == ("GreaterThanThreshold", 0)


def test_a_failed_or_missed_reconciliation_run_raises_an_alarm(monitoring: Synthesized) -> None:
    alarms = alarms_by_description(monitoring)
    failed = alarms["reconcile invocations failed (an exception or its 900 s timeout) or were throttled"]
    assert used_metrics(failed)["errors"]["Dimensions"] == [
        {"Name": "FunctionName", "Value": {"Ref": monitoring.function_id("reconcile")}}
    ]
    missed = alarms["No reconciliation run finished in the last day (missed, failed or timed out)"]
    assert missed["MetricName"] == "LedgerReconciliationsCompleted"
    assert (missed["ComparisonOperator"], missed["Threshold"], missed["Period"]) == (
        "LessThanThreshold",
        1,
        86400,
    )
    assert missed["TreatMissingData"] == "breaching"


def test_reconciliation_is_ticked_every_five_minutes_and_each_tick_stops_before_its_timeout(
    synthesized: Synthesized,
) -> None:
    # A run that outlasts one invocation is resumed by the next tick: ticks must come, and stop in time.
    function_id = synthesized.function_id("reconcile")
    schedules = synthesized.schedule_expressions("reconcile")
    timeout = synthesized.resources("AWS::Lambda::Function")[function_id]["Properties"]["Timeout"]
    assert schedules == ["rate(5 minutes)"]
    assert timeout == 900 and timeout * 1000 > 10 * STOP_MARGIN_MS


def test_every_function_alarms_once_on_its_errors_and_throttles(monitoring: Synthesized) -> None:
    alarms = alarms_by_description(monitoring).values()
    # Given every declared function
    for spec in FUNCTIONS:
        dimensions = [{"Name": "FunctionName", "Value": {"Ref": monitoring.function_id(spec.name)}}]
        # Then exactly one alarm sums its Errors and Throttles, and raises on the first one
        (watching,) = [
            alarm
            for alarm in alarms
            if "Metrics" in alarm
            and any(metric.get("Dimensions") == dimensions for metric in used_metrics(alarm).values())
        ]
        (expression,) = [query["Expression"] for query in watching["Metrics"] if "Expression" in query]
        assert expression == "errors + throttles"
        assert {
            name: (metric["Namespace"], metric["MetricName"])
            for name, metric in used_metrics(watching).items()
        } == {
            "errors": ("AWS/Lambda", "Errors"),
            "throttles": ("AWS/Lambda", "Throttles"),
        }
        assert (watching["ComparisonOperator"], watching["Threshold"]) == ("GreaterThanThreshold", 0)
        assert watching["AlarmName"] == f"Twtc-function-failures-{spec.name}"


def test_the_http_api_alarms_on_its_5xx_rate_and_p95_latency_against_spec_12(
    monitoring: Synthesized,
) -> None:
    alarms = alarms_by_description(monitoring)
    api = {"Name": "ApiId", "Value": {"Ref": monitoring.logical_id(monitoring.stack.http_api.api)}}
    latency = alarms["HTTP API p95 latency above 200 ms"]
    assert (latency["MetricName"], latency["ExtendedStatistic"], latency["Threshold"]) == (
        "Latency",
        "p95",
        200,
    )
    assert latency["Dimensions"] == [api]
    rate = alarms["More than 0.1 % of HTTP API requests answered 5xx"]
    assert rate["Threshold"] == 0.1
    (expression,) = [query for query in rate["Metrics"] if "Expression" in query]
    assert expression["Expression"] == "IF(requests > 0, 100 * errors / requests, 0)"
    used = used_metrics(rate)
    assert {name: metric["MetricName"] for name, metric in used.items()} == {
        "errors": "5xx",
        "requests": "Count",
    }
    assert all(metric["Dimensions"] == [api] for metric in used.values())


def test_the_websocket_api_alarms_on_integration_and_execution_errors(monitoring: Synthesized) -> None:
    alarms = alarms_by_description(monitoring)
    errors = alarms["WebSocket messages or connections failed in the integration or in API Gateway"]
    used = {
        query["Id"]: query["MetricStat"]["Metric"] for query in errors["Metrics"] if "MetricStat" in query
    }
    assert {name: metric["MetricName"] for name, metric in used.items()} == {
        "integration": "IntegrationError",
        "execution": "ExecutionError",
    }
    assert errors["Threshold"] == 0


def test_the_fraud_evaluators_stream_failures_raise_an_alarm(monitoring: Synthesized) -> None:
    assert "Twtc-stream-failures-fraud_evaluator-security" in alarm_names(monitoring)


def test_every_alarm_has_a_runbook_section_and_every_section_an_alarm(monitoring: Synthesized) -> None:
    # Given the runbook's sections (one `## <key>` heading each) and the alarms, named
    # `<stack>-<key>[-<subject>]`
    sections = re.findall(r"^## ([a-z0-9-]+)$", RUNBOOK.read_text(), flags=re.MULTILINE)
    stack_name = monitoring.stack.stack_name

    def section_of(alarm_name: str) -> str | None:
        return next(
            (
                key
                for key in sections
                if alarm_name == f"{stack_name}-{key}" or alarm_name.startswith(f"{stack_name}-{key}-")
            ),
            None,
        )

    names = alarm_names(monitoring)
    # Then each alarm names its section, and no section is left without an alarm
    assert [name for name in names if section_of(name) is None] == []
    assert set(sections) == {section_of(name) for name in names}
    assert len(names) == len(set(names))


def test_each_domain_has_a_dashboard_showing_each_of_its_functions_and_queues(
    monitoring: Synthesized,
) -> None:
    dashboards = {
        resource["Properties"]["DashboardName"]: json.dumps(resource["Properties"]["DashboardBody"])
        for resource in monitoring.resources("AWS::CloudWatch::Dashboard").values()
    }
    assert sorted(dashboards) == ["Twtc-calls", "Twtc-earning", "Twtc-money", "Twtc-trust"]
    for spec in FUNCTIONS:
        body = dashboards[f"Twtc-{domain_of(spec.name)}"]
        assert f"{spec.name}: invocations, errors, throttles, p95 duration" in body
        for source in spec.queue_sources:
            assert f"{source.queue} queue: waiting, dead letters, oldest age" in body
    assert "fraud_evaluator: security stream failures" in dashboards["Twtc-trust"]
    assert "referral_rewards queue" in dashboards["Twtc-earning"]


def test_a_function_without_a_domain_stops_the_synth() -> None:
    with pytest.raises(ValueError, match="'surprise' has no domain"):
        domain_of("surprise")
