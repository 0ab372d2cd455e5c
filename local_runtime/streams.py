"""DynamoDB stream event sources, emulated like Lambda's: read the table's stream (moto keeps one), keep
only the records the source's filter admits (INSERTs under its key prefix), invoke the function with a
stream event, and act on `ReportBatchItemFailures`: the batch is retried from the first failed record,
up to the source's attempts, after which the record is given up (in AWS: sent to the failure queue; here:
kept in `gave_up` and logged).

`drain()` processes until the stream has nothing new: the e2e tests call it through
`POST /_local/streams/{function}/drain`, so a fraud finding is visible the moment the test looks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3

from infra_cdk.wiring import StreamSource, TableSpec
from local_runtime.events import REGION
from local_runtime.lambdas import LocalFunction
from local_runtime.queues import IDLE_POLL_SECONDS
from twtc_core.observability import logger


@dataclass(frozen=True)
class StreamDrainReport:
    batches: int
    succeeded: int
    failed: int


def admitted(record: dict[str, Any], table: TableSpec, source: StreamSource) -> bool:
    """The event source filter: new items whose partition key starts with the prefix."""
    key = record.get("dynamodb", {}).get("Keys", {}).get(table.partition_key, {}).get("S", "")
    return record.get("eventName") == "INSERT" and key.startswith(source.key_prefix)


def stream_event(records: list[dict[str, Any]], stream_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                **record,
                "dynamodb": {**record["dynamodb"], "ApproximateCreationDateTime": _epoch(record["dynamodb"])},
                "eventSource": "aws:dynamodb",
                "awsRegion": REGION,
                "eventSourceARN": stream_arn,
            }
            for record in records
        ]
    }


def _epoch(change: dict[str, Any]) -> int:
    """Lambda's events carry the change's time as epoch seconds (boto3 parses it into a datetime)."""
    moment = change.get("ApproximateCreationDateTime")
    return int(moment.timestamp()) if isinstance(moment, datetime) else int(moment or 0)


def failed_sequence(response: Any, records: list[dict[str, Any]]) -> str | None:
    """The first record Lambda would retry from: the earliest named in `batchItemFailures` (an unusable
    answer fails the whole batch, from its first record)."""
    sequences = [record["dynamodb"]["SequenceNumber"] for record in records]
    failures = response.get("batchItemFailures") if isinstance(response, dict) else None
    if not failures:
        return None
    named = [failure.get("itemIdentifier") if isinstance(failure, dict) else None for failure in failures]
    if not set(named) <= set(sequences):
        return sequences[0]
    return min(named, key=sequences.index)


class StreamPoller:
    def __init__(self, table: TableSpec, source: StreamSource, function: LocalFunction) -> None:
        self.function = function
        self._table = table
        self._source = source
        # The endpoint spelled out: botocore's own resolution of it misses moto's routes for DescribeStream.
        self._streams: Any = boto3.client(
            "dynamodbstreams",
            region_name=REGION,
            endpoint_url=f"https://streams.dynamodb.{REGION}.amazonaws.com",
        )
        description = boto3.client("dynamodb", region_name=REGION).describe_table(
            TableName=table.physical_name
        )
        self.stream_arn = str(description["Table"]["LatestStreamArn"])
        shards = self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"]
        self._iterators: list[str | None] = [
            self._streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            for shard in shards
        ]
        self._pending: list[dict[str, Any]] = []  # admitted records not yet processed, oldest first
        self._attempts = 0  # of the first pending record
        self.gave_up: list[dict[str, Any]] = []
        self._polling = threading.Lock()

    def poll_once(self) -> tuple[int, int]:
        """One batch of admitted records: (succeeded, failed)."""
        with self._polling:
            self._read()
            batch = self._pending[: self._source.batch_size]
            if not batch:
                return 0, 0
            try:
                response = self.function.invoke(stream_event(batch, self.stream_arn))
                failed_at = failed_sequence(response, batch)
            except Exception:
                logger.exception("stream consumer failed the whole batch", extra={"table": self._table.name})
                failed_at = batch[0]["dynamodb"]["SequenceNumber"]
            done = (
                len(batch)
                if failed_at is None
                else next(
                    i for i, record in enumerate(batch) if record["dynamodb"]["SequenceNumber"] == failed_at
                )
            )
            del self._pending[:done]
            self._attempts = 0 if done else self._attempts
            if failed_at is None:
                return done, 0
            self._attempts += 1
            if self._attempts > self._source.max_attempts:
                logger.error("stream record given up", extra={"record": self._pending[0]["dynamodb"]["Keys"]})
                self.gave_up.append(self._pending.pop(0))
                self._attempts = 0
            return done, 1

    def _read(self) -> None:
        for position, iterator in enumerate(self._iterators):
            if iterator is None:
                continue
            response = self._streams.get_records(ShardIterator=iterator)
            self._pending.extend(
                record for record in response["Records"] if admitted(record, self._table, self._source)
            )
            self._iterators[position] = response.get("NextShardIterator")

    def drain(self) -> StreamDrainReport:
        batches = succeeded = failed = 0
        while True:
            ok, ko = self.poll_once()
            if not (ok or ko):
                return StreamDrainReport(batches, succeeded, failed)
            batches, succeeded, failed = batches + 1, succeeded + ok, failed + ko

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                busy = any(self.poll_once())
            except Exception:
                logger.exception("stream poller error", extra={"table": self._table.name})
                busy = False
            if not busy:
                stop.wait(IDLE_POLL_SECONDS)
