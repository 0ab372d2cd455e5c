"""Create the declared tables and queues (from `infra_cdk.wiring`) in whatever AWS boto3 reaches:
moto in tests and in the local runtime."""

from __future__ import annotations

import json
from typing import Any

import boto3

from infra_cdk.wiring import QUEUES, TABLES, TableSpec

REGION = "us-east-1"


def environment() -> dict[str, str]:
    """The variables a deployed function would get for its resources, with the local names."""
    env = {spec.env_var: spec.physical_name for spec in TABLES}
    env.update(
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_METRICS_NAMESPACE="TWTC",
        POWERTOOLS_SERVICE_NAME="twtc-local",
    )
    return env


def create_table(client: Any, spec: TableSpec) -> None:
    key_attributes = {spec.partition_key, spec.sort_key}
    for index in spec.indexes:
        key_attributes.update((index.partition_key, index.sort_key))
    request: dict[str, Any] = {
        "TableName": spec.physical_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in sorted(key_attributes)
        ],
        "KeySchema": [
            {"AttributeName": spec.partition_key, "KeyType": "HASH"},
            {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
        ],
    }
    if spec.indexes:
        request["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
        ]
    client.create_table(**request)
    if spec.ttl_attribute:
        client.update_time_to_live(
            TableName=spec.physical_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
        )


def create_resources() -> dict[str, str]:
    """Create every declared table and queue (with its DLQ); returns the queue URL variables."""
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for spec in TABLES:
        create_table(dynamodb, spec)
    sqs = boto3.client("sqs", region_name=REGION)
    queue_env: dict[str, str] = {}
    for queue in QUEUES:
        dlq_url = sqs.create_queue(QueueName=f"twtc-{queue.name}-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        queue_env[queue.env_var] = sqs.create_queue(
            QueueName=f"twtc-{queue.name}",
            Attributes={
                "VisibilityTimeout": str(queue.visibility_timeout_seconds),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}
                ),
            },
        )["QueueUrl"]
    return queue_env
