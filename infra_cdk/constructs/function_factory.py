"""The one helper that creates every Lambda function from its `FunctionSpec`.

Each function: Python 3.12 on arm64, X-Ray tracing, its own log group with retention, its own role
granting only what its spec declares, the shared layer and the dependency layers its spec lists, and a code
asset holding only
its own package (staged under `.build/functions/<name>/`).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.constructs.captcha import CaptchaSecret
from infra_cdk.constructs.cursors import CursorKey
from infra_cdk.constructs.identity import Identity
from infra_cdk.constructs.kyc import Kyc
from infra_cdk.constructs.logs import log_group
from infra_cdk.constructs.naming import acknowledge, construct_id
from infra_cdk.constructs.payouts import PayoutKey
from infra_cdk.constructs.queues import Queues
from infra_cdk.constructs.tables import Tables
from infra_cdk.constructs.topics import Topics
from infra_cdk.constructs.twilio import TwilioAccount
from infra_cdk.constructs.websocket_api import WebSocketApi
from infra_cdk.dependency_layer import layer_directory, site_packages
from infra_cdk.wiring import DependencyLayer, FunctionSpec

ROOT = Path(__file__).resolve().parents[2]
STAGING_DIR = ROOT / ".build" / "functions"
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
ASSET_EXCLUDES = ["**/__pycache__", "**/*.pyc"]
METRICS_NAMESPACE = "TWTC"


@dataclass(frozen=True)
class FunctionResources:
    """What a function may be wired to; its spec says which of these it gets."""

    tables: Tables
    queues: Queues
    topics: Topics
    identity: Identity
    websocket: WebSocketApi | None
    cursor_key: CursorKey
    captcha_secret: CaptchaSecret
    kyc: Kyc
    settings: Mapping[str, int | str]  # the business settings' values in this environment
    twilio: TwilioAccount
    payout_key: PayoutKey


def _source_digest(sources: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for source in sources:
        files = [source] if source.is_file() else sorted(source.rglob("*.py"))
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def stage_code(spec: FunctionSpec) -> Path:
    """`.build/functions/<name>/functions/{__init__.py,<package>/}`: the package its handler lives in.

    Rewritten only when the sources changed, under a lock: parallel test workers synthesize at once.
    """
    package = spec.module.split(".")[1]
    sources = [ROOT / "functions" / "__init__.py", ROOT / "functions" / package]
    if not sources[1].is_dir():
        raise FileNotFoundError(
            f"{spec.name!r} is declared with handler {spec.handler} but {sources[1]} is missing"
        )
    staged = STAGING_DIR / spec.name
    stamp = STAGING_DIR / f"{spec.name}.sha256"
    digest = _source_digest(sources)
    STAGING_DIR.mkdir(parents=True, exist_ok=True)
    with (STAGING_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (stamp.exists() and stamp.read_text() == digest and staged.exists()):
            stamp.unlink(missing_ok=True)
            shutil.rmtree(staged, ignore_errors=True)
            (staged / "functions").mkdir(parents=True)
            shutil.copy2(sources[0], staged / "functions" / "__init__.py")
            shutil.copytree(
                sources[1],
                staged / "functions" / package,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
            stamp.write_text(digest)
    return staged


def _layer(scope: Construct, id: str, description: str, directory: Path) -> lambda_.LayerVersion:
    return lambda_.LayerVersion(
        scope,
        id,
        description=description,
        code=lambda_.Code.from_asset(str(directory), exclude=ASSET_EXCLUDES),
        compatible_runtimes=[RUNTIME],
        compatible_architectures=[ARCHITECTURE],
    )


def _dependency_layer(scope: Construct, layer: DependencyLayer) -> lambda_.LayerVersion:
    if not (site_packages(layer) / ".built").exists():
        raise FileNotFoundError(f"{layer_directory(layer)} is not built: run `make layer`")
    return _layer(
        scope,
        construct_id(f"{layer}_dependencies"),
        f"{layer}: packages from pyproject.toml for Python 3.12 on arm64",
        layer_directory(layer),
    )


def create_function(
    scope: Construct,
    spec: FunctionSpec,
    resources: FunctionResources,
    layers: Sequence[lambda_.ILayerVersion],
) -> lambda_.Function:
    """The single way a function is made; everything it may touch comes from `spec`."""
    owner = Construct(scope, construct_id(spec.name))
    role = iam.Role(
        owner,
        "Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"{spec.name}: only the resources its wiring declares",
    )
    logs = log_group(owner, "Logs")
    logs.grant_write(role)
    function = lambda_.Function(
        owner,
        "Function",
        description=spec.description,
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        handler=spec.handler,
        code=lambda_.Code.from_asset(str(stage_code(spec))),
        layers=list(layers),
        role=role,
        memory_size=spec.memory_mb,
        timeout=Duration.seconds(spec.timeout_seconds),
        tracing=lambda_.Tracing.ACTIVE,
        log_group=logs,
        environment={
            "POWERTOOLS_SERVICE_NAME": spec.name,
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        },
    )
    acknowledge(
        role,
        "Active tracing: X-Ray PutTraceSegments and PutTelemetryRecords take no resource-level permissions.",
        "IAM5[Resource::*]",
    )
    acknowledge(
        function,
        "Python 3.12 is the runtime the platform is built and tested for (design card); "
        "moving to a newer runtime is a deliberate upgrade.",
        "L1",
    )
    for table_name, access in spec.tables.items():
        resources.tables.grant(function, table_name, access)
    for table_name, key_prefix in spec.puts_only_keys.items():
        resources.tables.grant_puts_under(function, table_name, key_prefix)
    for queue_name in spec.sends_to:
        resources.queues.grant_send(function, queue_name)
    for topic_name in spec.publishes_to:
        resources.topics.grant_publish(function, topic_name)
    for setting in spec.settings:
        function.add_environment(setting, str(resources.settings[setting]))
    _grant_user_pool(owner, role, function, spec, resources.identity)
    _grant_secrets_and_keys(function, spec, resources)
    for bucket_name, bucket_access in spec.buckets.items():
        resources.kyc.grant(function, bucket_name, bucket_access)
    if spec.pushes_to_websocket:
        if resources.websocket is None:
            raise ValueError(f"{spec.name!r} pushes to WebSocket clients but no function declares a route")
        resources.websocket.grant_push(function)
    return function


def _grant_secrets_and_keys(
    function: lambda_.Function, spec: FunctionSpec, resources: FunctionResources
) -> None:
    if spec.pages_lists:
        resources.cursor_key.grant(function)
    if spec.verifies_captcha:
        resources.captcha_secret.grant(function)
    if spec.reads_twilio_secret:
        resources.twilio.grant(function)
    if spec.uses_kyc_provider:
        resources.kyc.grant_provider_secret(function)
    if spec.payout_key is not None:
        resources.payout_key.grant(function, spec.payout_key)


def _grant_user_pool(
    owner: Construct, role: iam.Role, function: lambda_.Function, spec: FunctionSpec, identity: Identity
) -> None:
    if spec.uses_user_pool:
        function.add_environment("USER_POOL_ID", identity.user_pool.user_pool_id)
        function.add_environment("USER_POOL_CLIENT_ID", identity.client.user_pool_client_id)
    if spec.calls_app_client:
        identity.grant_client_secret(function)
    if spec.user_pool_actions:
        # A separate policy, not the role's default one: the function must not depend on the pool, since
        # the pool depends on its trigger functions.
        iam.Policy(
            owner,
            "UserPoolAccess",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    actions=list(spec.user_pool_actions), resources=[identity.user_pool.user_pool_arn]
                )
            ],
        )


class Functions(Construct):
    """Every declared function, made by `create_function`; `by_name` maps spec names to functions."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        specs: Sequence[FunctionSpec],
        resources: FunctionResources,
    ) -> None:
        super().__init__(scope, id)
        shared = _layer(self, "SharedLayer", "twtc_core: the shared domain code", ROOT / "layers" / "shared")
        # Only the layers some function attaches: an unused one would be uploaded for nothing.
        dependencies = {
            layer: _dependency_layer(self, layer)
            for layer in dict.fromkeys(layer for spec in specs for layer in spec.layers)
        }
        self.by_name: dict[str, lambda_.Function] = {
            spec.name: create_function(
                self, spec, resources, [shared, *(dependencies[layer] for layer in spec.layers)]
            )
            for spec in specs
        }
