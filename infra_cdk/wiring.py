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
    stream: bool = False  # a DynamoDB stream of new images, for the functions' `stream_sources`

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
class TopicSpec:
    name: str  # the function sees the ARN as <NAME>_TOPIC_ARN

    @property
    def env_var(self) -> str:
        return f"{self.name.upper()}_TOPIC_ARN"


@dataclass(frozen=True)
class StreamSource:
    """New items of a table whose partition key starts with `key_prefix` (an event source filter: the
    function is not invoked for anything else); a record failing `max_attempts` times goes to the source's
    dead-letter queue."""

    table: str
    key_prefix: str
    batch_size: int = 25
    max_attempts: int = 5


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


# The dependency layers (infra_cdk/dependency_layer.py says which packages each holds). Every function gets
# the core one; it declares any other whose packages its code (or the twtc_core code it uses) imports.
DependencyLayer = Literal["core", "crypto", "phone", "voice", "http"]
CORE_LAYER: DependencyLayer = "core"

CognitoTrigger = Literal["PreSignUp", "PostConfirmation", "PreTokenGeneration", "CustomMessage"]


@dataclass(frozen=True)
class UserPoolSpec:
    """Cognito (spec §3): sign-in by email or phone, 15-minute access and 7-day refresh tokens."""

    groups: tuple[str, ...] = ("admin", "moderator")
    # Custom attributes (`custom:<name>`) set at sign-up, so the post-confirmation trigger finds them
    # however the user is confirmed (API, admin, console): the sign-up device, IP and referral code.
    custom_attributes: tuple[str, ...] = ("device_id", "signup_ip", "referral_code")
    # Only access tokens carry it (id tokens have no scope): every authorized route requires it.
    access_token_scope: str = "aws.cognito.signin.user.admin"
    access_token_minutes: int = 15
    id_token_minutes: int = 15
    refresh_token_days: int = 7
    password_min_length: int = 8  # plus lower, upper, digit and symbol
    # The app client is confidential; functions find its secret in Secrets Manager through this variable.
    client_secret_env_var: str = "USER_POOL_CLIENT_SECRET_ID"

    @property
    def client_write_attributes(self) -> tuple[str, ...]:
        """What the backend sets at sign-up, and all the app client may write."""
        return ("name", "email", "phone_number", *(f"custom:{name}" for name in self.custom_attributes))


@dataclass(frozen=True)
class EdgeSpec:
    """The edge in front of the HTTP API (spec §9): per-viewer-IP request limit (the WAF rate-based rule on
    the CloudFront distribution; the local runtime enforces the same) and API Gateway's body size limit."""

    requests_per_ip: int = 100
    window_seconds: int = 60  # one of WAF's evaluation windows: 60, 120, 300 or 600 s
    max_body_bytes: int = 10 * 1024 * 1024  # API Gateway's payload limit; larger bodies are 413
    # CloudFront forwards only these to the API (besides Authorization, the query string and cookies):
    # its viewer headers (client IP, location: spec §9) and the request headers functions read. A function
    # that reads another header needs it added here. At most 10 (CloudFront's origin request policy quota).
    forwarded_headers: tuple[str, ...] = (
        "CloudFront-Viewer-Address",
        "CloudFront-Viewer-Country",
        "CloudFront-Viewer-Latitude",
        "CloudFront-Viewer-Longitude",
        "Content-Type",
        "Accept",
        "User-Agent",
        "X-Twilio-Signature",
    )


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # dotted path: functions.<name>.handler.lambda_handler
    description: str
    routes: tuple[HttpRoute, ...] = ()
    queue_sources: tuple[QueueSource, ...] = ()
    stream_sources: tuple[StreamSource, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    websocket_routes: tuple[str, ...] = ()  # $connect | $disconnect | $default | <action>
    cognito_triggers: tuple[CognitoTrigger, ...] = ()
    tables: dict[str, Access] = field(default_factory=dict)
    # Put only items whose partition key starts with this prefix, on a table it otherwise only reads
    # (IAM `dynamodb:LeadingKeys`): e.g. reconciliation's own checkpoint in the ledger it audits.
    puts_only_keys: dict[str, str] = field(default_factory=dict)
    sends_to: tuple[str, ...] = ()
    publishes_to: tuple[str, ...] = ()  # SNS topics (TOPICS) it publishes to
    # Gets USER_POOL_ID / USER_POOL_CLIENT_ID. Cognito triggers cannot (the pool references them; they
    # read the pool id from their event instead).
    uses_user_pool: bool = False
    user_pool_actions: tuple[str, ...] = ()  # IAM on the pool, e.g. "cognito-idp:AdminUserGlobalSignOut"
    # Calls Cognito as the confidential app client (sign-up, confirmation, login, refresh): gets
    # USER_POOL_CLIENT_SECRET_ID and read access to that one secret.
    calls_app_client: bool = False
    pushes_to_websocket: bool = False  # gets WEBSOCKET_MANAGEMENT_ENDPOINT and ManageConnections
    # Issues or reads list cursors (twtc_core.pagination): gets CURSOR_SECRET_ID and read access to the
    # cursor key's secret.
    pages_lists: bool = False
    # Checks CAPTCHA answers with the provider: gets CAPTCHA_SECRET_ID and read access to that secret.
    verifies_captcha: bool = False
    settings: tuple[str, ...] = ()  # the business settings (SETTINGS) it reads, as environment variables
    dependency_layers: tuple[DependencyLayer, ...] = ()  # besides core
    memory_mb: int = 256
    timeout_seconds: int = 10

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        return self.handler.rsplit(".", 1)[1]

    @property
    def layers(self) -> tuple[DependencyLayer, ...]:
        """The dependency layers it attaches: core first, then the declared ones."""
        return (CORE_LAYER, *(layer for layer in self.dependency_layers if layer != CORE_LAYER))


# Business settings (spec §10), declared once: CDK gives each function the ones its spec names as
# environment variables, overridable per environment (`cdk deploy -c settings='{"SIGNUP_BONUS": 2000}'`);
# the local runtime and the tests set the same values. The functions hold no defaults for them.
SETTINGS: dict[str, int | str] = {
    "SIGNUP_BONUS": 1_000,
    "REFERRAL_REWARD_REFERRER": 10_000,
    "REFERRAL_REWARD_REFEREE": 5_000,
    "REFERRAL_MAX_PER_DAY": 10,
    "REFERRAL_MAX_TOTAL": 200,
    "SHARE_LINK_BASE_URL": "https://twtc.app",
    "CALL_RATE_PER_MINUTE": 1_000,
    "MIN_CALL_RATE_PER_MINUTE": 100,
    "MAX_CALL_RATE_PER_MINUTE": 100_000,
    "MINING_GROUPS": 10,
    # Trust (issue 13): how long alert level 2 refuses earning actions (spec §9 cooldown)
    "FRAUD_COOLDOWN_SECONDS": 600,
    "CAPTCHA_SITEVERIFY_URL": "https://api.hcaptcha.com/siteverify",
}
REFERRAL_SETTINGS = (
    "REFERRAL_REWARD_REFERRER",
    "REFERRAL_REWARD_REFEREE",
    "REFERRAL_MAX_PER_DAY",
    "REFERRAL_MAX_TOTAL",
    "SHARE_LINK_BASE_URL",
)

LEDGER = TableSpec(name="ledger", indexes=(IndexSpec("history", "history_pk", "history_sk"),))

# Accounts: profiles, referral codes and records, group counters, devices (docs/access-patterns.md).
USERS = TableSpec(name="users", indexes=(IndexSpec("gsi1", "gsi1pk", "gsi1sk"),), ttl_attribute="expires_at")
# Security: rate-limit windows, activity log, fraud events (docs/access-patterns.md).
SECURITY = TableSpec(
    name="security",
    indexes=(IndexSpec("gsi1", "gsi1pk", "gsi1sk"),),
    ttl_attribute="expires_at",
    stream=True,  # the fraud evaluator reads new activity off it
)

# WebSocket connections, per-user open counts and subscriptions; TTL ends connections after API Gateway's
# 2-hour limit (docs/access-patterns.md).
CONNECTIONS = TableSpec(
    name="connections", indexes=(IndexSpec("by_user", "user_pk", "user_sk"),), ttl_attribute="expires_at"
)
# Catalog: tourism videos with their quiz, task types, ad units (docs/access-patterns.md).
CONTENT = TableSpec(name="content")

USER_POOL = UserPoolSpec()
EDGE = EdgeSpec()

# List cursors are sealed with a key in Secrets Manager; functions that page find it through this variable.
CURSOR_SECRET_ENV_VAR = "CURSOR_SECRET_ID"
# The CAPTCHA provider's secret key (hCaptcha), set by operators in Secrets Manager.
CAPTCHA_SECRET_ENV_VAR = "CAPTCHA_SECRET_ID"

TABLES: tuple[TableSpec, ...] = (LEDGER, USERS, SECURITY, CONNECTIONS, CONTENT)
QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("referral_rewards", max_receive_count=5),
    QueueSpec("provisioning", max_receive_count=5),
)
# Trust (issue 13): HIGH and CRITICAL fraud events, for admins (spec §9).
TOPICS: tuple[TopicSpec, ...] = (TopicSpec("fraud_alerts"),)

FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="wallet",
        handler="functions.wallet.handler.lambda_handler",
        description="Wallet: balance and transaction history",
        routes=(
            HttpRoute("GET", "/v1/wallet"),
            HttpRoute("GET", "/v1/wallet/transactions"),
        ),
        tables={"ledger": "read", "users": "read"},
        pages_lists=True,
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="presence",
        handler="functions.presence.handler.lambda_handler",
        description="WebSocket presence: authenticated connections, per-user counts, subscriptions",
        websocket_routes=("$connect", "$disconnect", "$default", "subscribe"),
        tables={"connections": "write"},
        uses_user_pool=True,  # the shared Cognito adapter checks $connect's access token
        pushes_to_websocket=True,
    ),
    FunctionSpec(
        name="reconcile",
        handler="functions.reconcile.handler.lambda_handler",
        description="Daily ledger reconciliation: reports (never repairs) any difference",
        # Each tick starts the day's run (once the day before has closed) or resumes an unfinished one.
        schedules=(Schedule("ledger-reconcile", "rate(5 minutes)"),),
        tables={"ledger": "read"},
        puts_only_keys={"ledger": "RECONCILE#"},  # its run's checkpoint; the money stays read-only
        memory_mb=1024,
        timeout_seconds=900,
    ),
    FunctionSpec(
        name="auth",
        handler="functions.auth.handler.lambda_handler",
        description="Sign-up, confirmation, login and token refresh through Cognito",
        routes=(
            HttpRoute("POST", "/v1/auth/signup", authorized=False),
            HttpRoute("POST", "/v1/auth/confirm", authorized=False),
            HttpRoute("POST", "/v1/auth/login", authorized=False),
            HttpRoute("POST", "/v1/auth/refresh", authorized=False),
        ),
        tables={"users": "write", "security": "write"},
        uses_user_pool=True,
        user_pool_actions=("cognito-idp:AdminUserGlobalSignOut",),
        calls_app_client=True,
        settings=REFERRAL_SETTINGS,
        dependency_layers=("phone",),  # sign-up and login by phone number
    ),
    FunctionSpec(
        name="profile",
        handler="functions.profile.handler.lambda_handler",
        description="My profile, GDPR export and erasure",
        routes=(
            HttpRoute("GET", "/v1/me"),
            HttpRoute("PATCH", "/v1/me"),
            HttpRoute("GET", "/v1/me/export"),
            HttpRoute("DELETE", "/v1/me"),
        ),
        tables={"users": "write", "ledger": "read", "security": "write"},
        sends_to=("provisioning",),  # a profile found missing is provisioned on first use
        uses_user_pool=True,
        user_pool_actions=("cognito-idp:AdminDeleteUser",),
        pages_lists=True,  # the export reads the whole history page by page
        settings=("MIN_CALL_RATE_PER_MINUTE", "MAX_CALL_RATE_PER_MINUTE"),
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="admin_users",
        handler="functions.admin_users.handler.lambda_handler",
        description="Admin: disable and enable user accounts (Cognito, sessions, audit)",
        routes=(
            HttpRoute("POST", "/v1/admin/users/{id}/disable"),
            HttpRoute("POST", "/v1/admin/users/{id}/enable"),
        ),
        tables={"users": "write", "security": "write"},
        uses_user_pool=True,
        user_pool_actions=(
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminUserGlobalSignOut",
        ),
    ),
    FunctionSpec(
        name="erasure_sweeper",
        handler="functions.erasure_sweeper.handler.lambda_handler",
        description="Finishes erasures an interrupted DELETE /v1/me left pending",
        schedules=(Schedule("erasure-sweeper", "rate(15 minutes)"),),
        tables={"users": "write", "security": "write"},
        uses_user_pool=True,
        user_pool_actions=("cognito-idp:AdminDeleteUser",),
        timeout_seconds=300,
    ),
    FunctionSpec(
        name="referrals",
        handler="functions.referrals.handler.lambda_handler",
        description="My referral code, link, referred users and rewards",
        routes=(HttpRoute("GET", "/v1/referrals"),),
        tables={"users": "read"},
        pages_lists=True,
        settings=REFERRAL_SETTINGS,
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="referral_worker",
        handler="functions.referral_worker.handler.lambda_handler",
        description="Credits referral rewards exactly once, within the abuse limits",
        queue_sources=(QueueSource("referral_rewards"),),
        tables={"users": "write", "ledger": "write", "security": "write"},
        settings=REFERRAL_SETTINGS,
    ),
    FunctionSpec(
        name="pre_signup",
        handler="functions.pre_signup.handler.lambda_handler",
        description="Cognito PreSignUp: rejects sign-ups not made by the API, disposable emails, bad codes",
        cognito_triggers=("PreSignUp",),
        tables={"users": "write"},  # reserves the inbox of a sign-up made outside the API
        settings=REFERRAL_SETTINGS,
    ),
    FunctionSpec(
        name="post_confirmation",
        handler="functions.post_confirmation.handler.lambda_handler",
        description="Cognito PostConfirmation: queues the confirmed account's provisioning",
        cognito_triggers=("PostConfirmation",),
        sends_to=("provisioning",),
    ),
    FunctionSpec(
        name="provisioning_worker",
        handler="functions.provisioning_worker.handler.lambda_handler",
        description="Provisions profile, code, group, wallet, bonus, referral exactly once per account",
        queue_sources=(QueueSource("provisioning"),),
        tables={"users": "write", "ledger": "write"},
        sends_to=("referral_rewards",),
        uses_user_pool=True,
        user_pool_actions=("cognito-idp:AdminGetUser",),
        settings=("SIGNUP_BONUS", "CALL_RATE_PER_MINUTE", "MINING_GROUPS"),
    ),
    FunctionSpec(
        name="fraud_evaluator",
        handler="functions.fraud_evaluator.handler.lambda_handler",
        description="Fraud rules over each new activity: fraud events, anomaly score, alert level",
        stream_sources=(StreamSource("security", key_prefix="ACTIVITY#"),),
        # users: the session item's trust flags, devices (accounts on a device), the profile's disabled mark
        tables={"security": "write", "users": "write"},
        publishes_to=("fraud_alerts",),
        uses_user_pool=True,
        user_pool_actions=(
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminUserGlobalSignOut",
        ),
        settings=("FRAUD_COOLDOWN_SECONDS",),
        timeout_seconds=60,
    ),
    FunctionSpec(
        name="captcha",
        handler="functions.captcha.handler.lambda_handler",
        description="CAPTCHA check (hCaptcha siteverify): a solved CAPTCHA lifts alert level 3",
        routes=(HttpRoute("POST", "/v1/captcha/verify"),),
        tables={"security": "write", "users": "write"},
        uses_user_pool=True,  # the trust reassessment's Cognito adapter (a CAPTCHA never suspends)
        verifies_captcha=True,
        settings=("FRAUD_COOLDOWN_SECONDS", "CAPTCHA_SITEVERIFY_URL"),
        dependency_layers=("http",),
    ),
    FunctionSpec(
        name="admin_trust",
        handler="functions.admin_trust.handler.lambda_handler",
        description="Admin: fraud review queue, resolving fraud events, alert levels (audited)",
        routes=(
            HttpRoute("GET", "/v1/admin/fraud-events"),
            HttpRoute("POST", "/v1/admin/fraud-events/{id}/resolve"),
            HttpRoute("POST", "/v1/admin/users/{id}/alert-level"),
        ),
        tables={"security": "write", "users": "write"},
        uses_user_pool=True,
        user_pool_actions=(  # level 4 set or lifted: the suspension's Cognito side
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminUserGlobalSignOut",
        ),
        pages_lists=True,
        settings=("FRAUD_COOLDOWN_SECONDS",),
        dependency_layers=("crypto",),
    ),
)


def function(name: str) -> FunctionSpec:
    return next(spec for spec in FUNCTIONS if spec.name == name)
