"""The whole platform in one process: moto, the declared resources, the functions from the wiring, and
the gateway that drives them (HTTP API, WebSocket API, SQS event sources, schedules, local controls).

Order matters and mirrors AWS: resources exist and the functions' environment is set before any handler
module is imported (its cold start reads settings), exactly as Lambda sets variables before loading code.
"""

from __future__ import annotations

import importlib
import os
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto import mock_aws
from moto.server import ThreadedMotoServer
from starlette.applications import Starlette

from infra_cdk.wiring import FUNCTIONS, TABLES, FunctionSpec, QueueSpec
from local_runtime import captcha
from local_runtime.admob import LOCAL_KEY_ID, AdMobSigner
from local_runtime.authorizer import JwtAuthorizer
from local_runtime.cognito import install_cognito_emulation
from local_runtime.gateway import build_app
from local_runtime.http_api import HttpApi, Route
from local_runtime.kyc_provider import FakeProvider, serve_kyc_locally
from local_runtime.lambdas import Handler, LocalFunction
from local_runtime.moto_fidelity import make_dynamodb_atomic
from local_runtime.queues import QueuePoller
from local_runtime.resources import REGION, create_queue, create_resources, environment
from local_runtime.schedules import Scheduler
from local_runtime.seed import Credentials, create_admin, seed_content
from local_runtime.streams import StreamPoller
from local_runtime.twilio import TwilioSimulator
from local_runtime.twilio import install as install_twilio_simulator
from local_runtime.websocket_api import WebSocketApi
from twtc_core.clock import CLOCK


@dataclass
class LocalPlatform:
    host: str = "127.0.0.1"
    port: int = 3000
    aws_port: int | None = None  # expose moto itself (aws --endpoint-url) on this port; 0 picks one
    plugins: tuple[str, ...] = ()  # modules whose install(platform) adds local-only functions (tests)
    functions: dict[str, LocalFunction] = field(default_factory=dict)
    pollers: dict[str, QueuePoller] = field(default_factory=dict)
    streams: dict[str, StreamPoller] = field(default_factory=dict)  # by function name
    scheduler: Scheduler = field(default_factory=Scheduler)
    env: dict[str, str] = field(default_factory=dict)
    admin: Credentials | None = None
    seeded_items: int = 0
    aws_endpoint: str | None = None
    twilio: TwilioSimulator | None = None
    kyc_provider: FakeProvider | None = None
    admob: AdMobSigner = field(default_factory=lambda: AdMobSigner(key_id=LOCAL_KEY_ID))
    _mock: Any = field(default=None, init=False, repr=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _workers: list[threading.Thread] = field(default_factory=list, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Everything but the HTTP server, which serves `build_app()`."""
        os.environ.update(environment())
        self._mock = mock_aws(
            # The functions' apigatewaymanagementapi calls must reach this gateway, never moto.
            config={"core": {"passthrough": {"urls": [rf"https?://{re.escape(self.host)}:{self.port}/.*"]}}}
        )
        self._mock.start()
        make_dynamodb_atomic()
        install_cognito_emulation()
        # Twilio calls (and signs) this public URL: the gateway itself, where CloudFront would be.
        self.env = {
            **create_resources(),
            "WEBSOCKET_MANAGEMENT_ENDPOINT": self.url,
            "PUBLIC_BASE_URL": self.url,
            "ADMOB_VERIFIER_KEYS_URL": f"{self.url}/_local/admob/verifier-keys",
            "CAPTCHA_SITEVERIFY_URL": f"{self.url}{captcha.PATH}",
            **serve_kyc_locally(self.url),
        }
        self.kyc_provider = FakeProvider(self.url)
        os.environ.update(self.env)
        self.seeded_items = seed_content()
        for spec in FUNCTIONS:
            self._load(spec)
        self.twilio = install_twilio_simulator(self)
        self.admin = create_admin(self.env["USER_POOL_ID"], self.env["USER_POOL_CLIENT_ID"])
        for module in self.plugins:
            importlib.import_module(module).install(self)
        if self.aws_port is not None:
            self._moto_server = ThreadedMotoServer(ip_address=self.host, port=self.aws_port, verbose=False)
            self._moto_server.start()
            host, port = self._moto_server.get_host_and_port()
            self.aws_endpoint = f"http://{host}:{port}"

    def stop(self) -> None:
        """Background work first (it calls AWS through the mock), then moto: after the mock stops, a boto3
        call would go to real AWS."""
        self._stop_background()
        if self.aws_endpoint:
            self._moto_server.stop()
        if self._mock is not None:
            self._mock.stop()
        CLOCK.reset()

    # --- what the wiring declares, and what a plugin may add ------------------------------------
    def _load(self, spec: FunctionSpec) -> None:
        function = LocalFunction.load(spec.name, spec.handler, spec.memory_mb, spec.timeout_seconds)
        self.functions[spec.name] = function
        for source in spec.queue_sources:
            self.add_queue_consumer(source.queue, function, source.batch_size)
        for stream in spec.stream_sources:
            table = next(table for table in TABLES if table.name == stream.table)
            self.streams[spec.name] = StreamPoller(table, stream, function)
        for schedule in spec.schedules:
            self.scheduler.add(schedule.name, schedule.expression, function, schedule.input_json)

    def add_function(self, name: str, handler: Handler) -> LocalFunction:
        self.functions[name] = LocalFunction(name, handler)
        return self.functions[name]

    def add_queue(self, spec: QueueSpec) -> None:
        self.env[spec.env_var] = create_queue(boto3.client("sqs", region_name=REGION), spec)

    def add_queue_consumer(self, queue: str, function: LocalFunction, batch_size: int = 10) -> None:
        url = self.env[QueueSpec(queue).env_var]
        self.pollers[queue] = QueuePoller(queue, url, function, batch_size)

    # --- the gateway ----------------------------------------------------------------------------
    def http_routes(self) -> list[Route]:
        return [
            Route.of(route.method, route.path, route.authorized, self.functions[spec.name])
            for spec in FUNCTIONS
            for route in spec.routes
        ]

    def websocket_routes(self) -> dict[str, LocalFunction]:
        return {route: self.functions[spec.name] for spec in FUNCTIONS for route in spec.websocket_routes}

    def authorizer(self) -> JwtAuthorizer:
        issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{self.env['USER_POOL_ID']}"
        return JwtAuthorizer(issuer, self.env["USER_POOL_CLIENT_ID"])

    def build_app(self) -> Starlette:
        http_api = HttpApi(self.http_routes(), self.authorizer())
        return build_app(self, http_api, WebSocketApi(self.websocket_routes()))

    @asynccontextmanager
    async def background(self, _: Starlette) -> AsyncIterator[None]:
        """Queue pollers and the scheduler run while the server runs (Starlette lifespan)."""
        self._stopping.clear()
        # Daemons only so that an impatient third Ctrl-C still ends the process; stopping joins them.
        targets = [poller.run for poller in self.pollers.values()] + [self.scheduler.run]
        targets += [stream.run for stream in self.streams.values()]
        self._workers = [threading.Thread(target=t, args=(self._stopping,), daemon=True) for t in targets]
        for worker in self._workers:
            worker.start()
        try:
            yield
        finally:
            self._stop_background()

    def _stop_background(self) -> None:
        """Ask the workers to stop and wait for each to finish what it is doing (a batch, a job)."""
        self._stopping.set()
        for worker in self._workers:
            worker.join()
