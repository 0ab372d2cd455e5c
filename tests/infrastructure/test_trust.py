"""The fraud pipeline in the synthesized template: the security table's stream, the evaluator's filtered
event source with its failure queue and alarm, and the fraud alerts topic."""

from __future__ import annotations

import json

from tests.infrastructure.conftest import Synthesized


def test_the_evaluator_reads_only_new_activity_off_the_security_stream(
    synthesized: Synthesized, monitoring: Synthesized
) -> None:
    # Given the synthesized stack
    security = synthesized.logical_id(synthesized.stack.tables.by_name["security"])
    table = synthesized.template["Resources"][security]["Properties"]
    evaluator = synthesized.function_id("fraud_evaluator")
    [mapping] = [
        resource["Properties"]
        for resource in synthesized.resources("AWS::Lambda::EventSourceMapping").values()
        if resource["Properties"]["FunctionName"] == {"Ref": evaluator}
    ]
    # Then the table streams new images, and the evaluator is invoked only for ACTIVITY# inserts
    assert table["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    [pattern] = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]
    assert pattern == {
        "eventName": ["INSERT"],
        "dynamodb": {"Keys": {"pk": {"S": [{"prefix": "ACTIVITY#"}]}}},
    }
    # And failures are per record, bisected, retried 5 times, then sent to a queue that raises an alarm
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["MaximumRetryAttempts"] == 5
    destination = mapping["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    alarmed = [
        alarm["Properties"]["Metrics"]
        if "Metrics" in alarm["Properties"]
        else alarm["Properties"]["Dimensions"]
        for alarm in monitoring.resources("AWS::CloudWatch::Alarm").values()
    ]
    assert any(destination in json.dumps(dimensions) for dimensions in alarmed)


def test_fraud_alerts_go_to_an_encrypted_topic_only_the_evaluator_publishes_to(
    synthesized: Synthesized,
) -> None:
    topic = synthesized.logical_id(synthesized.stack.topics.by_name["fraud_alerts"])
    properties = synthesized.template["Resources"][topic]["Properties"]
    assert "KmsMasterKeyId" in properties
    publishers = [
        policy
        for policy in synthesized.resources("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Action"] == "sns:Publish" and statement["Resource"] == {"Ref": topic}
    ]
    assert len(publishers) == 1
    evaluator = synthesized.stack.functions["fraud_evaluator"]
    assert publishers[0]["Properties"]["Roles"] == [{"Ref": synthesized.logical_id(evaluator.role)}]
