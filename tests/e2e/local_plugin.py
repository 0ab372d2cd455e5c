"""Test-only additions to the local runtime (`python -m local_runtime --plugin tests.e2e.local_plugin`):
a queue whose consumer fails poison messages. Nothing here is declared in the wiring or deployed."""

from __future__ import annotations

import json
from typing import Any

from infra_cdk.wiring import QueueSpec
from local_runtime.platform import LocalPlatform

POISON_QUEUE = QueueSpec("e2e_poison", max_receive_count=3)


def fail_poison_messages(event: dict[str, Any], _: Any) -> dict[str, Any]:
    """Succeeds with every message but those marked poison (ReportBatchItemFailures)."""
    return {
        "batchItemFailures": [
            {"itemIdentifier": record["messageId"]}
            for record in event["Records"]
            if json.loads(record["body"]).get("poison")
        ]
    }


def install(platform: LocalPlatform) -> None:
    platform.add_queue(POISON_QUEUE)
    platform.add_queue_consumer(POISON_QUEUE.name, platform.add_function("e2e_poison", fail_poison_messages))
