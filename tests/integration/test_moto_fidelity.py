"""What the tests and the local runtime stand on: moto's DynamoDB transactions behave as DynamoDB's. A
transaction that fails leaves every item and the table's stream exactly as they were (moto's own rollback
copied whole tables; ours restores the items the transaction names), and what others wrote stays."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from infra_cdk.wiring import TABLES
from local_runtime.resources import REGION

SECURITY = next(table for table in TABLES if table.stream)
TABLE = SECURITY.physical_name
# The last step of the transaction: refused by its condition, or failing as it writes (a number ADDed to
# a string).
FAILING_STEPS: dict[str, dict[str, Any]] = {
    "condition": {
        "ConditionCheck": {
            "Key": {"pk": {"S": "bystander"}, "sk": {"S": "S"}},
            "ConditionExpression": "n = :x",
            "ExpressionAttributeValues": {":x": {"N": "99"}},
        }
    },
    "write": {
        "Update": {
            "Key": {"pk": {"S": "bystander"}, "sk": {"S": "S"}},
            "UpdateExpression": "ADD label :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    },
}


def key(pk: str) -> dict[str, Any]:
    return {SECURITY.partition_key: {"S": pk}, SECURITY.sort_key: {"S": "S"}}


def step(operation: str, **parameters: Any) -> dict[str, Any]:
    return {operation: {"TableName": TABLE, **parameters}}


def items(client: Any) -> dict[str, Any]:
    return {
        pk: client.get_item(TableName=TABLE, Key=key(pk)).get("Item") for pk in ("updated", "deleted", "new")
    }


def stream_length(client: Any) -> int:
    streams = boto3.client(
        "dynamodbstreams", region_name=REGION, endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com"
    )
    arn = client.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return len(streams.get_records(ShardIterator=iterator)["Records"])


@pytest.fixture
def client(aws: dict[str, str]) -> Any:
    """The security table (it has a stream) with an item to update, one to delete and a bystander's."""
    assert [SECURITY.partition_key, SECURITY.sort_key] == ["pk", "sk"]
    client = boto3.client("dynamodb", region_name=REGION)
    for n, pk in enumerate(("updated", "deleted")):
        client.put_item(TableName=TABLE, Item={**key(pk), "n": {"N": str(n)}})
    client.put_item(TableName=TABLE, Item={**key("bystander"), "n": {"N": "3"}, "label": {"S": "theirs"}})
    return client


def writes(last: dict[str, Any]) -> list[dict[str, Any]]:
    operation, parameters = next(iter(last.items()))
    return [
        step(
            "Update",
            Key=key("updated"),
            UpdateExpression="SET n = :ten",
            ExpressionAttributeValues={":ten": {"N": "10"}},
        ),
        step("Delete", Key=key("deleted")),
        step("Put", Item={**key("new"), "n": {"N": "4"}}),
        step(operation, **parameters),
    ]


@pytest.mark.parametrize("failing", FAILING_STEPS)
def test_a_failed_transaction_leaves_items_and_stream_as_they_were(client: Any, failing: str) -> None:
    # Given the items as they are and the stream's length
    before, records = items(client), stream_length(client)
    # When a transaction updating, deleting and putting them fails at its last step
    with pytest.raises(ClientError):
        client.transact_write_items(TransactItems=writes(FAILING_STEPS[failing]))
    # Then every item is as before (the new one absent), the stream has no record of it, the bystander stands
    assert items(client) == before and before["new"] is None
    assert stream_length(client) == records
    assert client.get_item(TableName=TABLE, Key=key("bystander"))["Item"]["label"] == {"S": "theirs"}


def test_a_committed_transaction_writes_every_item_and_a_stream_record_each(client: Any) -> None:
    records = stream_length(client)
    client.transact_write_items(
        TransactItems=writes(
            step(
                "ConditionCheck",
                Key=key("bystander"),
                ConditionExpression="n = :three",
                ExpressionAttributeValues={":three": {"N": "3"}},
            )
        )
    )
    assert items(client) == {
        "updated": {**key("updated"), "n": {"N": "10"}},
        "deleted": None,
        "new": {**key("new"), "n": {"N": "4"}},
    }
    assert stream_length(client) == records + 3


def test_one_transactional_read_takes_up_to_a_hundred_items_as_dynamodb_does(client: Any) -> None:
    gets = [{"Get": {"TableName": TABLE, "Key": key(f"item-{n}")}} for n in range(101)]
    assert len(client.transact_get_items(TransactItems=gets[:100])["Responses"]) == 100
    with pytest.raises(ClientError) as refused:
        client.transact_get_items(TransactItems=gets)
    assert refused.value.response["Error"]["Code"] == "ValidationException"
