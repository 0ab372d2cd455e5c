"""What a simulated day uses, per AWS service, measured where it happens.

- Lambda: every handler of the wiring is wrapped in place (`instrument_handlers`, before anything imports
  it): invocations, measured time (billed per started ms) and what it logged (Powertools lines and EMF
  metrics on stdout, plus Lambda's own START/END/REPORT lines).
- AWS requests: botocore's `before-call` / `after-call` hooks, registered before any client exists (as
  bench/counting.py does), see every client's calls. DynamoDB request units come from the items' sizes as
  DynamoDB sizes them (moto's sizing of the stored item after a write, of the returned items on a read):
  a write 1 WRU per started KB, a read 1 RRU per started 4 KB (half if eventually consistent), both
  doubled inside a transaction; every index holding the item takes a write too.
- Hot keys: each write's partition key (table or index) with the simulated minute it happened in (or spread
  over the day, for what the population does at any time), or, inside a scheduled job (which writes as
  fast as it runs, not when the clock says), per job invocation. A shared key's units are weighted like
  everything else (they stand for the population simulated); a user's own key's are not.

`METER.weighted(w)` scales everything recorded inside it: a pro-rated behaviour (a withdrawal a month)
runs once and counts as the fraction of a day it stands for.
"""

from __future__ import annotations

import importlib
import io
import math
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from typing import Any

from botocore import handlers
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType

from infra_cdk.wiring import FUNCTIONS, FunctionSpec

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
LAMBDA_PLATFORM_LOG_BYTES = 330  # START, END and REPORT lines Lambda writes for every invocation
WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
TRIGGER_KINDS = ("http", "websocket", "sqs", "stream", "cognito", "schedule")

# A key segment that names no one: a type tag (USER, STATS), a small number or a date. A key made only of
# these is shared by every user (its writes grow with the population); any other segment names a user, a
# session, an IP... whose writes do not.
_SHARED_SEGMENT = re.compile(r"[A-Z][A-Z_]*|[0-9][0-9\-:.TZ]{0,24}")
_SEPARATOR = re.compile(r"[#:|]")


def key_family(key: str) -> tuple[str, bool]:
    """The key with its variable segments replaced, and whether the key is shared by all users."""
    segments = _SEPARATOR.split(key)
    shared = all(_SHARED_SEGMENT.fullmatch(segment) for segment in segments)
    family = "#".join(segment if re.fullmatch(r"[A-Z][A-Z_]*", segment) else "{x}" for segment in segments)
    return family, shared


Floats = defaultdict[str, float]


def _floats() -> Floats:
    return defaultdict(float)


@dataclass
class HotKeys:
    """Write units per (table or index, partition key): by simulated minute, and per job invocation."""

    by_minute: dict[tuple[str, str], defaultdict[int, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float))
    )
    # (table, key) -> units over the day of actions spread evenly over it (not tied to a window)
    spread: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    # (table, key) -> the highest units per AWS call a single job invocation spent on it
    job_units_per_call: dict[tuple[str, str], float] = field(default_factory=dict)


@dataclass
class Usage:
    invocations: Floats = field(default_factory=_floats)  # function -> invocations
    billed_ms: Floats = field(default_factory=_floats)  # function -> billed milliseconds
    triggers: Floats = field(default_factory=_floats)  # http | websocket | ... -> invocations
    log_bytes: float = 0.0
    requests: Floats = field(default_factory=_floats)  # service.Operation -> calls
    read_units: Floats = field(default_factory=_floats)  # table -> RRU
    write_units: Floats = field(default_factory=_floats)  # table -> WRU
    item_writes: Floats = field(default_factory=_floats)  # table -> items written
    http_response_bytes: float = 0.0
    # route (or function) -> invocations, and the AWS calls they made by service (raw, triggers included)
    route_invocations: Floats = field(default_factory=_floats)
    route_calls: dict[str, Floats] = field(default_factory=lambda: defaultdict(_floats))
    # simulated minute -> raw (unweighted) invocations by trigger, Lambda ms, WebSocket connects and pushes
    per_minute: dict[int, Floats] = field(default_factory=lambda: defaultdict(_floats))
    s3_bytes: float = 0.0
    hot_keys: HotKeys = field(default_factory=HotKeys)

    def service_requests(self, service: str) -> float:
        return sum(count for name, count in self.requests.items() if name.startswith(f"{service}."))


class _CountingStream(io.TextIOBase):
    def __init__(self) -> None:
        self.bytes = 0.0

    def write(self, text: str) -> int:
        self.bytes += len(text.encode())
        return len(text)


class Meter:
    def __init__(self) -> None:
        self.usage = Usage()
        self._lock = threading.RLock()
        self._weight = 1.0
        self._sampling = 1.0  # the part of the weight that stands for unsimulated users
        self._spread = False
        self._clock_minute: Callable[[], int] = lambda: 0
        self._job: defaultdict[tuple[str, str], float] | None = None
        self._job_calls = 0
        self._active = False
        self._requests_free = False
        self._raw_calls: defaultdict[str, int] = defaultdict(int)  # service -> calls, never reset

    # -- control -----------------------------------------------------------------------------------
    @contextmanager
    def recording(self, minute_of: Callable[[], int]) -> Iterator[Usage]:
        """Record what happens inside; `minute_of()` tells the simulated minute of a write."""
        self.usage, self._clock_minute, self._active = Usage(), minute_of, True
        try:
            yield self.usage
        finally:
            self._active = False

    @contextmanager
    def weighted(self, weight: float) -> Iterator[None]:
        previous, self._weight = self._weight, self._weight * weight
        try:
            yield
        finally:
            self._weight = previous

    @contextmanager
    def sampled(self, weight: float, *, spread: bool) -> Iterator[None]:
        """A simulated user's step, standing for `weight` users; `spread`: the population does it at any
        time of day, not in the simulated minute (its partition writes spread over the day)."""
        previous = self._sampling, self._spread
        self._sampling, self._spread = self._sampling * weight, spread
        try:
            with self.weighted(weight):
                yield
        finally:
            self._sampling, self._spread = previous

    @contextmanager
    def unmetered(self) -> Iterator[None]:
        """What the simulation itself does (seeding, reading an answer the client knows)."""
        previous, self._active = self._active, False
        try:
            yield
        finally:
            self._active = previous

    @contextmanager
    def uncounted_requests(self) -> Iterator[None]:
        """AWS requests that cost nothing (Lambda's polling of a stream); invocations still count."""
        previous, self._requests_free = self._requests_free, True
        try:
            yield
        finally:
            self._requests_free = previous

    # -- Lambda --------------------------------------------------------------------------------------
    def invoked(self, spec: FunctionSpec, handler: Callable[..., Any]) -> Callable[..., Any]:
        kind = trigger_kind(spec)
        meter = self

        def metered(event: Any, context: Any) -> Any:
            if not meter._active:
                return handler(event, context)
            is_job = kind == "schedule" and meter._job is None
            if is_job:
                meter._job, meter._job_calls = defaultdict(float), 0
            stream = _CountingStream()
            calls_before = dict(meter._raw_calls)
            started = time.perf_counter()
            try:
                with redirect_stdout(stream), _logger_to(stream):
                    response = handler(event, context)
                if kind == "http" and isinstance(response, dict):
                    meter.usage.http_response_bytes += len(response.get("body") or "") * meter._weight
                return response
            finally:
                elapsed_ms = (time.perf_counter() - started) * 1000
                w = meter._weight
                usage = meter.usage
                usage.invocations[spec.name] += w
                usage.billed_ms[spec.name] += math.ceil(elapsed_ms) * w
                usage.triggers[kind] += w
                usage.log_bytes += (stream.bytes + LAMBDA_PLATFORM_LOG_BYTES) * w
                route = _route(event, spec)
                usage.route_invocations[route] += 1
                for service, calls in meter._raw_calls.items():
                    usage.route_calls[route][service] += calls - calls_before.get(service, 0)
                minute = usage.per_minute[meter._clock_minute()]
                minute[kind] += 1
                minute["lambda_ms_jobs" if kind == "schedule" else "lambda_ms"] += elapsed_ms
                minute["jobs"] += kind == "schedule"
                if _is_connect(event):
                    minute["websocket_connect"] += 1
                if is_job:
                    meter._close_job()

        metered.__metered__ = True  # type: ignore[attr-defined]
        return metered

    def _close_job(self) -> None:
        assert self._job is not None
        calls = max(self._job_calls, 1)
        hot = self.usage.hot_keys.job_units_per_call
        for key, units in self._job.items():
            hot[key] = max(hot.get(key, 0.0), units / calls)
        self._job = None

    # -- AWS requests --------------------------------------------------------------------------------
    @staticmethod
    def remember_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["twtc_params"] = params

    def before_call(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        if not self._active or self._requests_free:
            return
        params = context.get("twtc_params", {})
        name = f"{model.service_model.service_name}.{model.name}"
        with self._lock:
            self._raw_calls[model.service_model.service_name] += 1
            self.usage.requests[name] += self._weight
            if self._job is not None:
                self._job_calls += 1
            if name == "apigatewaymanagementapi.PostToConnection":
                self.usage.per_minute[self._clock_minute()]["websocket_push"] += 1
            if name == "s3.PutObject":
                self.usage.s3_bytes += _body_size(params.get("Body", b"")) * self._weight

    def after_call(self, model: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        params = context.get("twtc_params")
        if not self._active or self._requests_free or params is None or "Error" in parsed:
            return
        service = model.service_model.service_name
        with self._lock:
            if service == "dynamodb":
                self._dynamodb(model.name, params, parsed)
            elif service == "s3" and model.name == "GetObject":
                self.usage.s3_bytes += int(parsed.get("ContentLength", 0)) * self._weight

    def _dynamodb(self, operation: str, params: dict[str, Any], parsed: dict[str, Any]) -> None:
        reads = {
            "GetItem": lambda: [(params["TableName"], [parsed.get("Item")], params.get("ConsistentRead"))],
            "Query": lambda: [(params["TableName"], _scanned(parsed), params.get("ConsistentRead"))],
            "Scan": lambda: [(params["TableName"], _scanned(parsed), params.get("ConsistentRead"))],
            "BatchGetItem": lambda: [
                (table, [item], request.get("ConsistentRead"))
                for table, request in params["RequestItems"].items()
                for item in parsed.get("Responses", {}).get(table, [])
            ],
        }
        if operation in reads:
            for table, items, consistent in reads[operation]():
                self._read(table, items, consistent=bool(consistent))
        elif operation == "TransactGetItems":
            for request, response in zip(params["TransactItems"], parsed.get("Responses", []), strict=False):
                table = request["Get"]["TableName"]
                self._read(table, [response.get("Item")], consistent=True, factor=2)
        elif operation in ("PutItem", "UpdateItem", "DeleteItem"):
            self._write(params["TableName"], _key_of(params), factor=1)
        elif operation == "TransactWriteItems":
            for request in params["TransactItems"]:
                ((kind, action),) = request.items()
                self._write(action["TableName"], _key_of(action), factor=2, check=kind == "ConditionCheck")
        elif operation == "BatchWriteItem":
            for table, requests in params["RequestItems"].items():
                for request in requests:
                    action = request.get("PutRequest") or request.get("DeleteRequest") or {}
                    self._write(table, _key_of({**action, "TableName": table}), factor=1)

    def _read(self, table: str, items: list[Any], *, consistent: bool, factor: int = 1) -> None:
        size = sum(_wire_size(item) for item in items if item)
        units = max(1, math.ceil(size / READ_UNIT_BYTES)) * factor * (1 if consistent else 0.5)
        self.usage.read_units[_logical(table)] += units * self._weight

    def _write(self, table_name: str, key: dict[str, Any], *, factor: int, check: bool = False) -> None:
        table = dynamodb_backends[ACCOUNT_ID][REGION].get_table(table_name)
        stored = _stored(table, key)
        size = stored.size() if stored is not None else sum(_wire_size({k: v}) for k, v in key.items())
        units = max(1, math.ceil(size / WRITE_UNIT_BYTES)) * factor
        logical = _logical(table_name)
        self.usage.write_units[logical] += units * self._weight
        self.usage.item_writes[logical] += self._weight
        self._hot(logical, str(DynamoType(key[table.hash_key_attr]).value), units)
        if stored is None or check:
            return
        for index in table.global_indexes:
            hash_attr = index.schema[0]["AttributeName"]
            value = stored.attrs.get(hash_attr)
            if value is not None:  # an index's write is not doubled by the transaction
                self.usage.write_units[logical] += units / factor * self._weight
                self._hot(f"{logical}/{index.name}", str(value.value), units / factor)

    def _hot(self, table: str, key: str, units: float) -> None:
        """A key shared by all users takes the writes of everyone the step stands for (the weight); a
        user's own key only that user's (pro-rated actions count their fraction)."""
        if self._job is not None:  # a job's pace is its own, not the population's
            self._job[(table, key)] += units
            return
        _, shared = key_family(key)
        units *= self._weight if shared else self._weight / self._sampling
        if self._spread:
            self.usage.hot_keys.spread[(table, key)] += units
        else:
            self.usage.hot_keys.by_minute[(table, key)][self._clock_minute()] += units


METER = Meter()
handlers.BUILTIN_HANDLERS.append(("before-parameter-build", Meter.remember_params))
handlers.BUILTIN_HANDLERS.append(("before-call", METER.before_call))
handlers.BUILTIN_HANDLERS.append(("after-call", METER.after_call))


def instrument_handlers() -> None:
    """Wrap every function's handler in its module, before any test helper imports it by name."""
    for spec in FUNCTIONS:
        module = importlib.import_module(spec.module)
        handler = getattr(module, spec.attribute)
        if not getattr(handler, "__metered__", False):
            setattr(module, spec.attribute, METER.invoked(spec, handler))


@contextmanager
def _logger_to(stream: _CountingStream) -> Iterator[None]:
    from twtc_core.observability import logger  # noqa: PLC0415  (after the environment is set)

    saved = [(h, h.stream) for h in logger.handlers if hasattr(h, "stream")]  # type: ignore[attr-defined]
    for handler, _ in saved:
        handler.stream = stream  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for handler, original in saved:
            handler.stream = original  # type: ignore[attr-defined]


def trigger_kind(spec: FunctionSpec) -> str:
    if spec.routes:
        return "http"
    if spec.websocket_routes:
        return "websocket"
    if spec.queue_sources:
        return "sqs"
    if spec.stream_sources:
        return "stream"
    if spec.cognito_triggers:
        return "cognito"
    return "schedule"


def _route(event: Any, spec: FunctionSpec) -> str:
    """`POST /v1/mining/sessions`, `$connect`..., or the function's name for other triggers."""
    route = event.get("routeKey") if isinstance(event, dict) else None
    return str(route) if route else spec.name


def _body_size(body: Any) -> int:
    """An upload's bytes (botocore has turned a bytes body into a file-like object by then)."""
    if isinstance(body, bytes | str):
        return len(body)
    return body.getbuffer().nbytes if hasattr(body, "getbuffer") else 0


def _is_connect(event: Any) -> bool:
    return isinstance(event, dict) and event.get("requestContext", {}).get("eventType") == "CONNECT"


def _logical(table_name: str) -> str:
    return table_name.removeprefix("twtc-")


def _wire_size(item: dict[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + DynamoType(value).size() for name, value in item.items())


def _scanned(parsed: dict[str, Any]) -> list[Any]:
    """The items a Query or Scan read: those it returned, scaled up to what a filter dropped."""
    items = list(parsed.get("Items", []))
    scanned, count = parsed.get("ScannedCount", len(items)), max(len(items), 1)
    return items * max(1, round(scanned / count)) if items else []


def _key_of(action: dict[str, Any]) -> dict[str, Any]:
    if "Key" in action:
        return dict(action["Key"])
    table = dynamodb_backends[ACCOUNT_ID][REGION].get_table(action["TableName"])
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    return {name: action["Item"][name] for name in names}


def _stored(table: Any, key: dict[str, Any]) -> Any:
    hash_key = DynamoType(key[table.hash_key_attr])
    range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    try:
        return table.get_item(hash_key, range_key)
    except Exception:  # a key moto cannot look up (deleted, malformed) costs its minimum
        return None
