"""Midnight reset handler: the scheduled event's time names the day that ended; one logic call closes it.

Tasks are keyed by their UTC day, so the new day needs no per-user write: the first read of the day
makes its tasks. What is left is yesterday's stats: its sharded counters become an immutable snapshot.
Its cost does not grow with the number of users (one Query of a bounded partition, one PutItem), and a
second run (EventBridge delivers at least once) finds the snapshot and writes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.midnight_reset.logic import close_ended_day
from twtc_core.observability import logger, metrics, tracer
from twtc_core.stats import StatsStore

stats = StatsStore()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_source(data_class=EventBridgeEvent)
def lambda_handler(event: EventBridgeEvent, context: LambdaContext) -> dict[str, Any]:
    snapshot, written = close_ended_day(stats, datetime.fromisoformat(event.time))
    logger.info("day closed", extra={"day": snapshot.day, "written": written})
    return {"day": snapshot.day, "written": written, "metrics": len(snapshot.totals)}
