"""The functions, loaded from the wiring's dotted handler paths and invoked the way Lambda invokes them.

One instance per function handles one event at a time, like a Lambda execution environment: a handler's
module state (the Powertools resolver's current event, for one) is never shared by two requests.
"""

from __future__ import annotations

import importlib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from local_runtime.events import ACCOUNT_ID, REGION

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str
    timeout_seconds: int

    def get_remaining_time_in_millis(self) -> int:
        return self.timeout_seconds * 1000


class LocalFunction:
    def __init__(self, name: str, handler: Handler, memory_mb: int = 256, timeout_seconds: int = 10) -> None:
        self.name = name
        self.handler = handler
        self._memory_mb = memory_mb
        self._timeout_seconds = timeout_seconds
        self._instance = threading.Lock()

    @classmethod
    def load(cls, name: str, dotted_handler: str, memory_mb: int, timeout_seconds: int) -> LocalFunction:
        module_name, attribute = dotted_handler.rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), attribute)
        return cls(name, handler, memory_mb, timeout_seconds)

    @property
    def module(self) -> Any:
        return importlib.import_module(self.handler.__module__)

    def invoke(self, event: dict[str, Any]) -> Any:
        context = LambdaContext(
            function_name=f"twtc-{self.name}",
            memory_limit_in_mb=self._memory_mb,
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:twtc-{self.name}",
            aws_request_id=str(uuid.uuid4()),
            timeout_seconds=self._timeout_seconds,
        )
        with self._instance:
            return self.handler(event, context)
