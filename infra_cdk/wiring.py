"""The one declaration of how the platform is wired: tables, queues, functions and what triggers them.

Both the CDK stack (`infra_cdk/stack.py`) and the local runtime (`local_runtime/`) are built from these
values, so what runs on a laptop and what is deployed cannot drift apart. Plain data: no CDK imports.
"""

from __future__ import annotations

import json
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


# What a function may do with a bucket's objects: read them (GetObject, HeadObject, presigned GETs), sign
# uploads (presigned POST: PutObject), tag them (the lifecycle rule's tag on a rejected document), or erase
# a user's (every version under their prefix: GDPR erasure).
BucketAccess = Literal["read", "upload", "tag", "erase"]


@dataclass(frozen=True)
class BucketSpec:
    name: str  # the function sees it as <NAME>_BUCKET_NAME
    key_prefix: str  # functions are granted objects under this prefix only
    # Objects tagged with this tag expire (every version) after `tagged_expiry_days`.
    expiring_tag: tuple[str, str]
    tagged_expiry_days: int

    @property
    def env_var(self) -> str:
        return f"{self.name.upper()}_BUCKET_NAME"

    @property
    def physical_name(self) -> str:
        """The name used locally and in tests; CDK lets CloudFormation name deployed buckets."""
        return f"twtc-{self.name}"


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
    # A constant JSON object the function receives instead of the scheduled event (EventBridge's target
    # input), e.g. which group a group-window run is for. None: the scheduled event itself.
    input_json: str | None = None


# The dependency layers (infra_cdk/dependency_layer.py says which packages each holds). Every function gets
# the core one; it declares any other whose packages its code (or the twtc_core code it uses) imports.
DependencyLayer = Literal["core", "crypto", "phone", "voice", "http", "kyc"]
CORE_LAYER: DependencyLayer = "core"

# Sealing a withdrawal's full destination (the withdrawals function) or opening it (the admin who pays).
PayoutKeyUse = Literal["encrypt", "decrypt"]

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
        "Idempotency-Key",
        "X-Kyc-Signature",
    )


@dataclass(frozen=True)
class AdminConsoleSpec:
    """The admin console (issue 14): a single-page app built by npm into `build_dir`, served under `path` on
    the same origin as the API (CloudFront's `/admin/*` behaviour; the local runtime's `/admin/`), so the
    browser needs no CORS and the API's cookies-free bearer tokens stay first-party. Every path under it that
    is not a file answers `index.html` (the app routes in the browser). The security headers are sent by
    CloudFront's response headers policy and by the local runtime alike, so a browser test sees what a
    deployed browser would (a policy violation is a console error the tests fail on)."""

    path: str = "/admin"
    source_dir: str = "admin_console"
    build_dir: str = "admin_console/dist"
    # MUI (React Admin's UI kit) injects <style> elements and recharts sets style attributes: styles need
    # 'unsafe-inline'; scripts do not (Vite emits module files only). Thumbnails are https images.
    content_security_policy: str = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    # Long-lived caching for the hashed bundle files, none for index.html (a deploy is seen at once).
    asset_cache_seconds: int = 365 * 24 * 3600


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
    # Reads the Twilio account's secret: gets TWILIO_SECRET_ID and read access to that one secret.
    reads_twilio_secret: bool = False
    buckets: dict[str, tuple[BucketAccess, ...]] = field(default_factory=dict)
    # Calls the KYC provider or checks its webhooks: gets KYC_PROVIDER_SECRET_ID and read access to the
    # provider's secret (base URL, API key, webhook secret).
    uses_kyc_provider: bool = False
    # What it may do with the payout-destination key (withdrawals' full destinations, sealed): gets
    # PAYOUT_KEY_ID and that one KMS action, only under a withdrawal's encryption context.
    payout_key: PayoutKeyUse | None = None
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
    # Issue 9 (presence): a connection is live this long after its last heartbeat (clients send one every
    # <= 5 minutes; API Gateway drops a socket idle for 10), so one missed heartbeat is tolerated.
    "PRESENCE_LIVENESS_SECONDS": 600,
    # Issue 11: daily tasks, the all-done bonus (minor units) and the quiz attempts per QUIZ task.
    "TASKS_PER_DAY": 20,
    "DAILY_BONUS": 5_000,
    "TASK_COMPLETIONS_PER_DAY": 20,
    "QUIZ_ATTEMPTS": 2,
    # Issue 9, audio calls: the host's share of each billed minute, the longest call one hold pays for, the
    # held minutes left when the caller is warned, and the public URL Twilio calls (and signs): the
    # CloudFront or custom domain when deployed (`-c settings='{"PUBLIC_BASE_URL": "https://..."}'`).
    "HOST_SHARE_PERCENT": 60,
    "MAX_CALL_MINUTES": 120,
    "LOW_BALANCE_MINUTES": 1,
    "PUBLIC_BASE_URL": "http://127.0.0.1:3000",
    # Issue 12 (withdrawals): spec §10 and the §9 wallet-transaction limit.
    "MIN_WITHDRAWAL": 50_000,
    "DAILY_WITHDRAWAL_LIMIT": 500_000,
    "WALLET_TRANSACTIONS_PER_HOUR": 10,
    # Issue 12 (KYC): the provider adapter, karza | signzy.
    "KYC_PROVIDER": "karza",
    # Issue 10: earning loop I (ads, AdMob server-side verification, group windows, mining sessions)
    "MINING_BASE_RATE_PER_HOUR": 2_500,
    "MINING_SESSION_HOURS": 4,
    "MINING_WINDOW_MINUTES": 60,
    "MINING_AD_SECONDS": 60,
    "IMPRESSION_TTL_MINUTES": 10,  # an impression's lifetime: it must be completed and spent within it
    "REQUIRE_AD_SSV": "false",  # "true": mining also needs AdMob's signed callback for the impression
    "ADMOB_VERIFIER_KEYS_URL": "https://www.gstatic.com/admob/reward/verifier-keys.json",
    # Issue 11: boosts (spec §10)
    "MAX_BOOSTS_PER_DAY": 3,
}
CALL_BILLING_SETTINGS = ("HOST_SHARE_PERCENT", "MAX_CALL_MINUTES", "LOW_BALANCE_MINUTES")
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

# WebSocket connections and their liveness, subscriptions, the host lobby; TTL drops what has expired
# (docs/access-patterns.md).
CONNECTIONS = TableSpec(name="connections", ttl_attribute="expires_at")
# Catalog: tourism videos with their quiz, task types, ad units (docs/access-patterns.md).
CONTENT = TableSpec(name="content")
# Withdrawals: requests (mine: gsi1; review queue by status: gsi2) and per-user-day totals
# (docs/access-patterns.md).
WITHDRAWALS = TableSpec(
    name="withdrawals",
    indexes=(IndexSpec("gsi1", "gsi1pk", "gsi1sk"), IndexSpec("gsi2", "gsi2pk", "gsi2sk")),
    ttl_attribute="expires_at",
)

# Daily tasks per user-day, per-user-day "used video" markers, achievements; day items expire (archive via
# TTL) once no report needs them (docs/access-patterns.md).
TASKS = TableSpec(name="tasks", ttl_attribute="expires_at")
# Sharded per-day counters and the immutable daily snapshots the midnight reset writes (twtc_core.stats).
STATS = TableSpec(name="stats", ttl_attribute="expires_at")

# Earning: ad impressions, AdMob callbacks, mining locks and sessions; GSI `due` (sparse) holds each
# group's unsettled sessions by end time, GSI `miners` each group's miners by last start
# (docs/access-patterns.md).
EARNING = TableSpec(
    name="earning",
    indexes=(IndexSpec("due", "due_pk", "due_sk"), IndexSpec("miners", "miners_pk", "miners_sk")),
    ttl_attribute="purge_at",
)


def group_window_cron(group: int, minutes_after_slot: int = 0) -> str:
    """Fires `minutes_after_slot` after each of group `group`'s mining slots (spec §6): `(group - 1) x 24 min`
    past 00:00 UTC and every 4 hours after, i.e. the same minute past 6 hours a day (docs/mining.md)."""
    offset_minutes = (group - 1) * 24 + minutes_after_slot
    hours = ",".join(str(hour) for hour in sorted((offset_minutes // 60 + 4 * k) % 24 for k in range(6)))
    return f"cron({offset_minutes % 60} {hours} * * ? *)"


def _group_window_schedules() -> tuple[Schedule, ...]:
    """Per group, one run as its window opens (announces it, settles what is due) and one as it closes:
    sessions started in a window end during the next one, so the closing run settles all of them."""
    window = int(SETTINGS["MINING_WINDOW_MINUTES"])
    return tuple(
        Schedule(
            f"group-window-{group:02d}{suffix}", group_window_cron(group, after), json.dumps({"group": group})
        )
        for group in range(1, int(SETTINGS["MINING_GROUPS"]) + 1)
        for suffix, after in (("-open", 0), ("-close", window))
    )


EARNING_SETTINGS = (
    "MINING_BASE_RATE_PER_HOUR",
    "MINING_SESSION_HOURS",
    "MINING_WINDOW_MINUTES",
    "MINING_AD_SECONDS",
    "IMPRESSION_TTL_MINUTES",
    "REQUIRE_AD_SSV",
    "ADMOB_VERIFIER_KEYS_URL",
    "MINING_GROUPS",
)

USER_POOL = UserPoolSpec()
EDGE = EdgeSpec()
ADMIN_CONSOLE = AdminConsoleSpec()

# List cursors are sealed with a key in Secrets Manager; functions that page find it through this variable.
CURSOR_SECRET_ENV_VAR = "CURSOR_SECRET_ID"
# The CAPTCHA provider's secret key (hCaptcha), set by operators in Secrets Manager.
CAPTCHA_SECRET_ENV_VAR = "CAPTCHA_SECRET_ID"
# The Twilio account's credentials (one JSON secret); the functions that call Twilio find it through this.
TWILIO_SECRET_ENV_VAR = "TWILIO_SECRET_ID"
# Calls: the call log, its sparse index of ACTIVE calls, one pointer per party (docs/access-patterns.md).
CALLS = TableSpec(name="calls", indexes=(IndexSpec("active", "active_pk", "active_sk"),))
KYC_PROVIDER_SECRET_ENV_VAR = "KYC_PROVIDER_SECRET_ID"
# The KMS key that seals withdrawals' full payout destinations (docs/decisions.md "Payout destinations").
PAYOUT_KEY_ENV_VAR = "PAYOUT_KEY_ID"
# Identity documents (KYC uploads): a rejected one is tagged and expires 30 days later (docs/decisions.md).
DOCUMENTS = BucketSpec(
    name="documents", key_prefix="kyc/", expiring_tag=("kyc", "rejected"), tagged_expiry_days=30
)
BUCKETS: tuple[BucketSpec, ...] = (DOCUMENTS,)

TABLES: tuple[TableSpec, ...] = (
    LEDGER,
    USERS,
    SECURITY,
    CONNECTIONS,
    CONTENT,
    TASKS,
    STATS,
    CALLS,
    WITHDRAWALS,
    EARNING,
)
QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("referral_rewards", max_receive_count=5),
    QueueSpec("provisioning", max_receive_count=5),
    QueueSpec("kyc_submissions", max_receive_count=5),
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
        description="WebSocket presence: authenticated connections, heartbeats, subscriptions, the lobby",
        websocket_routes=("$connect", "$disconnect", "$default", "subscribe", "heartbeat"),
        tables={"connections": "write", "users": "read"},  # the profile says whether to list a host
        uses_user_pool=True,  # the shared Cognito adapter checks $connect's access token
        pushes_to_websocket=True,
        settings=("PRESENCE_LIVENESS_SECONDS",),
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
        # withdrawals: erasure removes the sealed destinations still held
        tables={"users": "write", "ledger": "read", "security": "write", "withdrawals": "write"},
        sends_to=("provisioning",),  # a profile found missing is provisioned on first use
        uses_user_pool=True,
        user_pool_actions=("cognito-idp:AdminDeleteUser",),
        buckets={"documents": ("erase",)},  # erasure removes the user's KYC documents
        pages_lists=True,  # the export reads the whole history page by page
        settings=("MIN_CALL_RATE_PER_MINUTE", "MAX_CALL_RATE_PER_MINUTE"),
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="admin_users",
        handler="functions.admin_users.handler.lambda_handler",
        description="Admin: find and inspect users, disable and enable accounts (Cognito, sessions, audit)",
        routes=(
            HttpRoute("GET", "/v1/admin/users"),
            HttpRoute("GET", "/v1/admin/users/{id}"),
            HttpRoute("POST", "/v1/admin/users/{id}/disable"),
            HttpRoute("POST", "/v1/admin/users/{id}/enable"),
        ),
        tables={"users": "write", "ledger": "read", "security": "write"},
        uses_user_pool=True,
        user_pool_actions=(
            "cognito-idp:AdminGetUser",  # an e-mail or phone search resolves the sign-in alias
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
        tables={"users": "write", "security": "write", "withdrawals": "write"},
        uses_user_pool=True,
        user_pool_actions=("cognito-idp:AdminDeleteUser",),
        buckets={"documents": ("erase",)},
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
        tables={"users": "write", "ledger": "write", "security": "write", "stats": "write"},
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
        tables={"users": "write", "ledger": "write", "stats": "write"},
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
        tables={"security": "write", "users": "write", "stats": "write"},
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
    FunctionSpec(
        name="lobby",
        handler="functions.lobby.handler.lambda_handler",
        description="The host lobby and presence lookups (read-only)",
        routes=(
            HttpRoute("GET", "/v1/hosts"),
            HttpRoute("GET", "/v1/users/{id}/presence"),
        ),
        tables={"connections": "read", "users": "read"},
        pages_lists=True,
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="admin_content",
        handler="functions.admin_content.handler.lambda_handler",
        description="Admin: tourism videos, the quiz bank and task types (with the correct answers)",
        routes=tuple(
            route
            for collection in ("videos", "quiz-questions", "task-types")
            for route in (
                HttpRoute("GET", f"/v1/admin/{collection}"),
                HttpRoute("POST", f"/v1/admin/{collection}"),
                HttpRoute("GET", f"/v1/admin/{collection}/{{id}}"),
                HttpRoute("PATCH", f"/v1/admin/{collection}/{{id}}"),
                HttpRoute("DELETE", f"/v1/admin/{collection}/{{id}}"),
            )
        ),
        tables={"content": "write", "users": "read"},
        pages_lists=True,
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="videos",
        handler="functions.videos.handler.lambda_handler",
        description="Tourism videos for boosts, with whether the caller used each today",
        routes=(HttpRoute("GET", "/v1/videos"),),
        tables={"content": "read", "tasks": "read", "users": "read"},
        pages_lists=True,
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="tasks",
        handler="functions.tasks.handler.lambda_handler",
        description="The day's 20 tasks: generation, start, server-timed completion, bonus, achievements",
        routes=(
            HttpRoute("GET", "/v1/tasks/today"),
            HttpRoute("POST", "/v1/tasks/{id}/start"),
            HttpRoute("POST", "/v1/tasks/{id}/complete"),
            HttpRoute("GET", "/v1/me/achievements"),
        ),
        tables={
            "content": "read",
            "tasks": "write",
            "ledger": "write",
            "stats": "write",
            "users": "read",
            "security": "write",
            "earning": "write",
        },
        settings=(
            "TASKS_PER_DAY",
            "DAILY_BONUS",
            "TASK_COMPLETIONS_PER_DAY",
            "QUIZ_ATTEMPTS",
            "IMPRESSION_TTL_MINUTES",
        ),
    ),
    FunctionSpec(
        name="midnight_reset",
        handler="functions.midnight_reset.handler.lambda_handler",
        description="Closes the UTC day: yesterday's counters become its immutable stats snapshot",
        schedules=(Schedule("midnight-reset", "cron(0 0 * * ? *)"),),
        tables={"stats": "write"},
    ),
    FunctionSpec(
        name="admin_stats",
        handler="functions.admin_stats.handler.lambda_handler",
        description="Admin: daily platform stats from snapshots and live counters, never scans",
        routes=(HttpRoute("GET", "/v1/admin/stats"), HttpRoute("GET", "/v1/admin/stats/series")),
        tables={"stats": "read", "users": "read"},
    ),
    FunctionSpec(
        name="calls",
        handler="functions.calls.handler.lambda_handler",
        description="Calls: Twilio Voice access tokens, my calls and one call",
        routes=(
            HttpRoute("POST", "/v1/calls/token"),
            HttpRoute("GET", "/v1/calls"),
            HttpRoute("GET", "/v1/calls/{id}"),
        ),
        tables={"calls": "read", "users": "read"},  # users: the session check of authorized routes
        pages_lists=True,
        reads_twilio_secret=True,
        dependency_layers=("crypto", "voice"),
    ),
    FunctionSpec(
        name="twilio_webhooks",
        handler="functions.twilio_webhooks.handler.lambda_handler",
        description="Twilio's signed voice webhook and status callbacks: places, follows and settles calls",
        routes=(
            HttpRoute("POST", "/webhooks/twilio/voice", authorized=False),
            HttpRoute("POST", "/webhooks/twilio/status", authorized=False),
        ),
        tables={
            "calls": "write",
            "connections": "write",
            "ledger": "write",
            "users": "read",
            "stats": "write",
        },
        pushes_to_websocket=True,
        reads_twilio_secret=True,
        settings=(*CALL_BILLING_SETTINGS, "PUBLIC_BASE_URL"),
        dependency_layers=("voice",),
    ),
    FunctionSpec(
        name="billing_tick",
        handler="functions.billing_tick.handler.lambda_handler",
        description="Bills active calls' started minutes each minute; hangs up when the held coins run out",
        schedules=(Schedule("billing-tick", "rate(1 minute)"),),
        tables={"calls": "write", "connections": "write", "ledger": "write", "users": "read"},
        pushes_to_websocket=True,
        reads_twilio_secret=True,
        settings=CALL_BILLING_SETTINGS,
        dependency_layers=("voice",),
        memory_mb=512,
        timeout_seconds=55,
    ),
    FunctionSpec(
        name="withdrawals",
        handler="functions.withdrawals.handler.lambda_handler",
        description="Withdrawals: request one on a ledger hold (KYC, limits, Idempotency-Key), list mine",
        routes=(
            HttpRoute("POST", "/v1/wallet/withdrawals"),
            HttpRoute("GET", "/v1/wallet/withdrawals"),
            HttpRoute("GET", "/v1/wallet/withdrawals/{id}"),
        ),
        # The request's one transaction: withdrawal + day total, hold + wallet, hour count + activity + stats.
        tables={
            "withdrawals": "write",
            "ledger": "write",
            "users": "read",
            "security": "write",
            "stats": "write",
        },
        pages_lists=True,
        settings=("MIN_WITHDRAWAL", "DAILY_WITHDRAWAL_LIMIT", "WALLET_TRANSACTIONS_PER_HOUR"),
        payout_key="encrypt",
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="admin_wallets",
        handler="functions.admin_wallets.handler.lambda_handler",
        description="Admin: withdrawal review (approve, reject, paid) and wallet adjustments, audited",
        routes=(
            HttpRoute("GET", "/v1/admin/withdrawals"),
            HttpRoute("POST", "/v1/admin/withdrawals/{id}/approve"),
            HttpRoute("POST", "/v1/admin/withdrawals/{id}/reject"),
            HttpRoute("POST", "/v1/admin/withdrawals/{id}/paid"),
            HttpRoute("POST", "/v1/admin/users/{id}/adjustments"),
            HttpRoute("GET", "/v1/admin/withdrawals/{id}/destination"),
        ),
        tables={"withdrawals": "write", "ledger": "write", "users": "read", "security": "write"},
        pages_lists=True,
        payout_key="decrypt",
        dependency_layers=("crypto",),
    ),
    FunctionSpec(
        name="kyc",
        handler="functions.kyc.handler.lambda_handler",
        description="KYC: document upload forms, PAN/Aadhaar submissions to the provider, my status",
        routes=(
            HttpRoute("POST", "/v1/kyc/uploads"),
            HttpRoute("POST", "/v1/kyc/submissions"),
            HttpRoute("GET", "/v1/kyc"),
        ),
        tables={"users": "write"},
        buckets={"documents": ("upload", "read")},
        sends_to=("kyc_submissions",),  # a provider outage queues the submission for a retry
        uses_kyc_provider=True,
        settings=("KYC_PROVIDER",),
        dependency_layers=("http", "kyc"),
    ),
    FunctionSpec(
        name="kyc_webhook",
        handler="functions.kyc_webhook.handler.lambda_handler",
        description="The KYC provider's signed verdicts: submission, profile kyc_status, kyc.updated push",
        routes=(HttpRoute("POST", "/webhooks/kyc", authorized=False),),
        tables={"users": "write", "connections": "write"},  # a gone connection is forgotten
        buckets={"documents": ("tag",)},
        uses_kyc_provider=True,
        pushes_to_websocket=True,
        settings=("KYC_PROVIDER",),
        dependency_layers=("http",),
    ),
    FunctionSpec(
        name="kyc_worker",
        handler="functions.kyc_worker.handler.lambda_handler",
        description="Resends KYC submissions the provider could not take during an outage",
        queue_sources=(QueueSource("kyc_submissions"),),
        tables={"users": "write"},
        uses_kyc_provider=True,
        settings=("KYC_PROVIDER",),
        dependency_layers=("http",),
        timeout_seconds=30,
    ),
    FunctionSpec(
        name="admin_kyc",
        handler="functions.admin_kyc.handler.lambda_handler",
        description="Admin: KYC review queue, document links and manual verdicts (audited)",
        routes=(
            HttpRoute("GET", "/v1/admin/kyc"),
            HttpRoute("GET", "/v1/admin/kyc/{id}"),
            HttpRoute("POST", "/v1/admin/kyc/{id}/decision"),
        ),
        tables={"users": "write", "security": "write", "connections": "write"},
        buckets={"documents": ("read", "tag")},
        pushes_to_websocket=True,
        pages_lists=True,
        dependency_layers=("crypto",),
    ),
    # Issue 10: earning loop I
    FunctionSpec(
        name="ads",
        handler="functions.ads.handler.lambda_handler",
        description="Ad impressions: issue one per placement, complete it after its minimum watch time",
        routes=(
            HttpRoute("POST", "/v1/ads/impressions"),
            HttpRoute("POST", "/v1/ads/impressions/{id}/complete"),
        ),
        tables={
            "earning": "write",
            "content": "read",
            "security": "write",
            "users": "read",
            "stats": "write",
        },
        settings=EARNING_SETTINGS,
    ),
    FunctionSpec(
        name="admob_ssv",
        handler="functions.admob_ssv.handler.lambda_handler",
        description="AdMob server-side verification callback: signed rewards confirm impressions",
        routes=(HttpRoute("GET", "/webhooks/admob/ssv", authorized=False),),
        tables={"earning": "write"},
        settings=EARNING_SETTINGS,
        dependency_layers=("crypto", "http"),
    ),
    FunctionSpec(
        name="mining",
        handler="functions.mining.handler.lambda_handler",
        description="Mining: state and progress, start a session with a watched ad, lazy settlement",
        routes=(HttpRoute("GET", "/v1/mining"), HttpRoute("POST", "/v1/mining/sessions")),
        tables={
            "earning": "write",
            "users": "read",
            "ledger": "write",
            "security": "write",
            "stats": "write",
        },
        settings=EARNING_SETTINGS,
    ),
    FunctionSpec(
        name="group_window",
        handler="functions.group_window.handler.lambda_handler",
        description="At a group's mining slot: settle its sessions due, tell its miners the window is open",
        schedules=_group_window_schedules(),
        tables={
            "earning": "write",
            "users": "read",
            "ledger": "write",
            "connections": "write",
            "stats": "write",
        },
        pushes_to_websocket=True,
        settings=EARNING_SETTINGS,
        timeout_seconds=300,
    ),
    FunctionSpec(
        name="group_rebalance",
        handler="functions.group_rebalance.handler.lambda_handler",
        description="Weekly: moves idle miners out of oversized groups into the smallest ones",
        schedules=(Schedule("weekly-rebalance", "cron(30 4 ? * MON *)"),),
        tables={"earning": "write", "users": "write", "connections": "write"},
        pushes_to_websocket=True,
        settings=EARNING_SETTINGS,
        timeout_seconds=900,
    ),
    # Issue 11: boosts
    FunctionSpec(
        name="boosts",
        handler="functions.boosts.handler.lambda_handler",
        description="Tourism-video boosts of a mining session: start, server-timed question, answer",
        routes=(
            HttpRoute("POST", "/v1/boosts"),
            HttpRoute("POST", "/v1/boosts/{id}/question"),
            HttpRoute("POST", "/v1/boosts/{id}/answer"),
        ),
        tables={
            "content": "read",
            "tasks": "write",
            "earning": "write",
            "ledger": "write",
            "stats": "write",
            "security": "write",
            "users": "read",
        },
        settings=("MAX_BOOSTS_PER_DAY",),
    ),
)


def function(name: str) -> FunctionSpec:
    return next(spec for spec in FUNCTIONS if spec.name == name)
