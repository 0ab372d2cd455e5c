"""The one declaration of how the platform is wired: tables, queues, functions and what triggers them.

Both the CDK stack (`infra_cdk/stack.py`) and the local runtime (`local_runtime/`) are built from these
values, so what runs on a laptop and what is deployed cannot drift apart. Plain data: no CDK imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Access = Literal["read", "write"]


@dataclass(frozen=True)
class IndexSpec:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableSpec:
    name: str  # logical name; the function sees it as <NAME>_TABLE_NAME
    partition_key: str = "pk"
    sort_key: str = "sk"
    indexes: tuple[IndexSpec, ...] = ()
    ttl_attribute: str | None = None

    @property
    def env_var(self) -> str:
        return f"{self.name.upper()}_TABLE_NAME"

    @property
    def physical_name(self) -> str:
        """The name used locally and in tests; CDK lets CloudFormation name deployed tables."""
        return f"twtc-{self.name}"


@dataclass(frozen=True)
class QueueSpec:
    name: str  # the function sees the URL as <NAME>_QUEUE_URL
    max_receive_count: int = 5
    visibility_timeout_seconds: int = 60

    @property
    def env_var(self) -> str:
        return f"{self.name.upper()}_QUEUE_URL"


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str  # API Gateway syntax: /v1/users/{id}/presence
    authorized: bool = True  # the Cognito JWT authorizer guards it


@dataclass(frozen=True)
class QueueSource:
    queue: str
    batch_size: int = 10


@dataclass(frozen=True)
class Schedule:
    name: str  # also the local control name: POST /_local/schedules/{name}
    expression: str  # EventBridge: rate(1 minute) | cron(0 0 * * ? *)


CognitoTrigger = Literal["PreSignUp", "PostConfirmation", "PreTokenGeneration", "CustomMessage"]


@dataclass(frozen=True)
class UserPoolSpec:
    """Cognito (spec §3): sign-in by email or phone, 15-minute access and 7-day refresh tokens."""

    groups: tuple[str, ...] = ("admin", "moderator")
    access_token_minutes: int = 15
    id_token_minutes: int = 15
    refresh_token_days: int = 7


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # dotted path: functions.<name>.handler.lambda_handler
    description: str
    routes: tuple[HttpRoute, ...] = ()
    queue_sources: tuple[QueueSource, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    websocket_routes: tuple[str, ...] = ()  # $connect | $disconnect | $default | <action>
    cognito_triggers: tuple[CognitoTrigger, ...] = ()
    tables: dict[str, Access] = field(default_factory=dict)
    sends_to: tuple[str, ...] = ()
    memory_mb: int = 256
    timeout_seconds: int = 10

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]


LEDGER = TableSpec(name="ledger", indexes=(IndexSpec("history", "history_pk", "history_sk"),))

USER_POOL = UserPoolSpec()

TABLES: tuple[TableSpec, ...] = (LEDGER,)
QUEUES: tuple[QueueSpec, ...] = ()

FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="wallet",
        handler="functions.wallet.handler.lambda_handler",
        description="Wallet: balance and transaction history",
        routes=(
            HttpRoute("GET", "/v1/wallet"),
            HttpRoute("GET", "/v1/wallet/transactions"),
        ),
        tables={"ledger": "read"},
    ),
)


def function(name: str) -> FunctionSpec:
    return next(spec for spec in FUNCTIONS if spec.name == name)
