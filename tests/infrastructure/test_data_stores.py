"""Tables and queues in the synthesized template match the declaration and keep data safe."""

from __future__ import annotations

import pytest

from infra_cdk.wiring import QUEUES, TABLES, TableSpec
from tests.infrastructure.conftest import Synthesized


def test_every_declared_table_and_no_other(synthesized: Synthesized) -> None:
    # Given the declared tables / When the stack is synthesized
    tables = synthesized.resources("AWS::DynamoDB::Table")
    # Then there is one table per declaration
    assert set(tables) == {synthesized.logical_id(synthesized.stack.tables.by_name[t.name]) for t in TABLES}


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_table_is_on_demand_recoverable_encrypted_and_retained(
    synthesized: Synthesized, spec: TableSpec
) -> None:
    # Given a declared table
    table = synthesized.template["Resources"][
        synthesized.logical_id(synthesized.stack.tables.by_name[spec.name])
    ]
    properties = table["Properties"]
    # Then it is billed on demand, has PITR and SSE, survives stack deletion and is named by CloudFormation
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"
    assert properties["DeletionProtectionEnabled"] is True
    assert "TableName" not in properties
    # And its keys, indexes and TTL are the declared ones
    assert properties["KeySchema"] == [
        {"AttributeName": spec.partition_key, "KeyType": "HASH"},
        {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
    ]
    indexes = {
        index["IndexName"]: [key["AttributeName"] for key in index["KeySchema"]]
        for index in properties.get("GlobalSecondaryIndexes", [])
    }
    assert indexes == {index.name: [index.partition_key, index.sort_key] for index in spec.indexes}
    ttl = properties.get("TimeToLiveSpecification", {}).get("AttributeName")
    assert ttl == spec.ttl_attribute


def test_every_queue_has_encryption_tls_a_dead_letter_queue_and_an_alarm(
    synthesized: Synthesized, monitoring: Synthesized
) -> None:
    resources = synthesized.template["Resources"]
    alarms = monitoring.resources("AWS::CloudWatch::Alarm").values()
    queue_policies = synthesized.resources("AWS::SQS::QueuePolicy").values()
    for spec in QUEUES:
        # Given a declared queue
        queue_id = synthesized.logical_id(synthesized.stack.queues.by_name[spec.name])
        queue = resources[queue_id]["Properties"]
        # Then it redrives to its dead-letter queue after the declared number of receives
        redrive = queue["RedrivePolicy"]
        dead_letter_id = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert redrive["maxReceiveCount"] == spec.max_receive_count
        assert queue["VisibilityTimeout"] == spec.visibility_timeout_seconds
        # And both queues are encrypted and refuse plain HTTP
        for queue_ref in (queue_id, dead_letter_id):
            assert resources[queue_ref]["Properties"]["SqsManagedSseEnabled"] is True
            assert any(
                {"Ref": queue_ref} in policy["Properties"]["Queues"]
                and any(
                    statement["Effect"] == "Deny"
                    and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                    for statement in policy["Properties"]["PolicyDocument"]["Statement"]
                )
                for policy in queue_policies
            )
        # And an alarm fires as soon as one message is in the dead-letter queue
        assert [
            alarm
            for alarm in alarms
            if alarm["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
            and alarm["Properties"]["Dimensions"][0]["Value"] == {"Fn::GetAtt": [dead_letter_id, "QueueName"]}
            and alarm["Properties"]["Threshold"] == 0
            and alarm["Properties"]["ComparisonOperator"] == "GreaterThanThreshold"
        ]
