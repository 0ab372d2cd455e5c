"""The ops topic and the alarms that raise to it: the ledger's reconciliation and the dead-letter queues."""

from __future__ import annotations

from typing import Any

from tests.infrastructure.conftest import Synthesized
from twtc_core.ledger.reconcile import STOP_MARGIN_MS


def alarms_by_description(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return {
        alarm["Properties"]["AlarmDescription"]: alarm["Properties"]
        for alarm in synthesized.resources("AWS::CloudWatch::Alarm").values()
    }


def topic_ref(synthesized: Synthesized) -> dict[str, str]:
    return {"Ref": synthesized.logical_id(synthesized.stack.operations.topic)}


def test_the_ops_topic_is_encrypted_with_a_key_cloudwatch_may_use_and_refuses_plain_http(
    synthesized: Synthesized,
) -> None:
    ops_topic = synthesized.logical_id(synthesized.stack.operations.topic)
    topic = synthesized.template["Resources"][ops_topic]
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = synthesized.template["Resources"][key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    assert any(
        statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        and set(statement["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
        for statement in key["KeyPolicy"]["Statement"]
    )
    (policy,) = [
        policy
        for policy in synthesized.resources("AWS::SNS::TopicPolicy").values()
        if policy["Properties"]["Topics"] == [{"Ref": ops_topic}]
    ]
    assert any(
        statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    )


def test_every_alarm_raises_to_the_ops_topic(synthesized: Synthesized) -> None:
    alarms = alarms_by_description(synthesized)
    assert any("queue failed" in description for description in alarms)  # the dead-letter alarms too
    assert all(alarm["AlarmActions"] == [topic_ref(synthesized)] for alarm in alarms.values())


def test_a_ledger_mismatch_or_a_non_zero_global_sum_raises_an_alarm(synthesized: Synthesized) -> None:
    alarms = alarms_by_description(synthesized)
    mismatches = alarms["Reconciliation found wallets or platform accounts differing from their entries"]
    assert (mismatches["Namespace"], mismatches["MetricName"]) == ("TWTC", "LedgerMismatches")
    assert mismatches["Dimensions"] == [{"Name": "service", "Value": "reconcile"}]
    assert (mismatches["ComparisonOperator"], mismatches["Threshold"]) == ("GreaterThanThreshold", 0)
    global_sum = alarms["Reconciliation found that the ledger's accounts do not sum to zero"]
    assert global_sum["MetricName"] == "LedgerGlobalSumAbs"
    assert (global_sum["ComparisonOperator"], global_sum["Threshold"]) == ("GreaterThanThreshold", 0)


def test_a_failed_or_missed_reconciliation_run_raises_an_alarm(synthesized: Synthesized) -> None:
    alarms = alarms_by_description(synthesized)
    failed = alarms["The reconciliation run failed (an error, or its 900 s timeout)"]
    assert (failed["Namespace"], failed["MetricName"]) == ("AWS/Lambda", "Errors")
    assert failed["Dimensions"] == [
        {"Name": "FunctionName", "Value": {"Ref": synthesized.function_id("reconcile")}}
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
