"""A simulated day's usage → the monthly AWS bill for a target population, with bench.prices.

Linear scaling: the day of N users x (target / N) x 30 days. Two exceptions, because they do not grow with
users: scheduled invocations (EventBridge fires them on the clock; their run time does grow and is scaled)
and fixed monthly fees (WAF's web ACL and rules). The seed prices its own design at about $12,000 a month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bench.behaviour import Behaviour
from bench.metering import trigger_kind
from bench.prices import PRICES
from infra_cdk.wiring import function

TARGET_USERS = 1_000_000
DAYS_PER_MONTH = 30
COGNITO_FREE_MAU = 10_000
WAF_RULES = 3  # the rate-based rule, the origin-secret check and AWS's managed common rule set
GB = Decimal(1_000_000_000)
CENT = Decimal("0.01")
SEED_BUDGET: dict[str, int] = {
    "compute": 5_000,
    "database": 3_000,
    "storage/CDN": 2_000,
    "monitoring": 500,
    "third-party": 1_000,
    "identity": 0,  # the seed budgets no sign-in service (it runs its own JWT auth on its servers)
}
CATEGORY = {
    "lambda": "compute",
    "apigw": "compute",
    "sqs": "compute",
    "eventbridge": "compute",
    "dynamodb": "database",
    "s3": "storage/CDN",
    "cloudfront": "storage/CDN",
    "waf": "storage/CDN",
    "cloudwatch": "monitoring",
    "cognito": "identity",
    "twilio": "third-party",
    "kyc": "third-party",
}


@dataclass(frozen=True)
class Line:
    price: str  # a key of bench.prices.PRICES
    quantity: Decimal
    cost: Decimal

    @property
    def category(self) -> str:
        return CATEGORY[self.price.split(".", 1)[0]]


def bill(quantities: Mapping[str, Decimal], prices: Mapping[str, Decimal] = PRICES) -> list[Line]:
    """Each quantity x its unit price, to the cent, the dearest line first."""
    lines = [
        Line(key, quantity, (quantity * prices[key]).quantize(CENT, ROUND_HALF_UP))
        for key, quantity in quantities.items()
        if quantity
    ]
    return sorted(lines, key=lambda line: line.cost, reverse=True)


def total(lines: list[Line]) -> Decimal:
    return sum((line.cost for line in lines), Decimal(0))


def by_category(lines: list[Line]) -> dict[str, Decimal]:
    totals = dict.fromkeys(SEED_BUDGET, Decimal(0))
    for line in lines:
        totals[line.category] += line.cost
    return totals


@dataclass(frozen=True)
class DayUsage:
    """What the day measured, for `users` users (bench.simulate.DayReport flattened)."""

    users: int
    invocations: Mapping[str, float]  # function -> invocations
    billed_ms: Mapping[str, float]  # function -> billed ms
    http_requests: float
    http_response_bytes: float
    websocket_messages: float  # received (invocations) and pushed (PostToConnection)
    connection_minutes: float
    read_units: float
    write_units: float
    stored_bytes: float  # every table's items at the day's end
    sqs_requests: float
    s3_puts: float
    s3_gets: float
    log_bytes: float
    call_minutes: float


def monthly_quantities(day: DayUsage, behaviour: Behaviour, target: int = TARGET_USERS) -> dict[str, Decimal]:
    scale = Decimal(target) / Decimal(day.users)
    month = scale * DAYS_PER_MONTH

    def per_month(value: float) -> Decimal:
        return Decimal(str(value)) * month

    gb_seconds = sum(
        Decimal(str(ms)) / 1000 * Decimal(function(name).memory_mb) / 1024
        for name, ms in day.billed_ms.items()
    )
    scheduled = sum(
        Decimal(str(count))
        for name, count in day.invocations.items()
        if trigger_kind(function(name)) == "schedule"
    )
    requests = sum(Decimal(str(count)) for count in day.invocations.values()) - scheduled
    mau = Decimal(target) * Decimal(str(behaviour.monthly_active_per_user))
    # Storage: the day's items accumulate over the month; on average half a month of them is held.
    stored_gb = Decimal(str(day.stored_bytes)) * scale * DAYS_PER_MONTH / 2 / GB
    quantities: dict[str, Decimal] = {
        "lambda.gb_second": gb_seconds * month,
        "lambda.request": requests * month + scheduled * DAYS_PER_MONTH,
        "apigw.http_request": per_month(day.http_requests),
        "apigw.websocket_message": per_month(day.websocket_messages),
        "apigw.websocket_connection_minute": per_month(day.connection_minutes),
        "dynamodb.write_request_unit": per_month(day.write_units),
        "dynamodb.read_request_unit": per_month(day.read_units),
        "dynamodb.gb_month": stored_gb,
        "sqs.request": per_month(day.sqs_requests),
        "eventbridge.invocation": scheduled * Decimal(DAYS_PER_MONTH),
        "s3.put_request": per_month(day.s3_puts),
        "s3.get_request": per_month(day.s3_gets),
        "cloudfront.https_request": per_month(day.http_requests),
        "cloudfront.gb_out": per_month(day.http_response_bytes) / GB,
        "waf.request": per_month(day.http_requests),
        "waf.web_acl_month": Decimal(1),
        "waf.rule_month": Decimal(WAF_RULES),
        "cognito.essentials_mau": max(Decimal(0), mau - Decimal(COGNITO_FREE_MAU)),
        "cloudwatch.log_gb_ingested": per_month(day.log_bytes) / GB,
        # Logs kept a month (the stack's retention): on average half the month's logs are stored.
        "cloudwatch.log_gb_month": per_month(day.log_bytes) / GB / 2,
        "twilio.client_minute": per_month(day.call_minutes) * 2,  # caller's and host's legs
        "kyc.verification": Decimal(target) * Decimal(str(behaviour.hosts)),  # each host once a month
    }
    return quantities


@dataclass(frozen=True)
class Lever:
    name: str
    saves: Decimal


def levers(
    quantities: dict[str, Decimal], day: DayUsage, tasks_write_units: float, tasks_item_writes: float
) -> list[Lever]:
    """What each change would save a month, priced on the same quantities."""
    current = total(bill(quantities))

    def saving(**changes: Decimal) -> Decimal:
        return current - total(bill({**quantities, **changes}))

    scale = Decimal(TARGET_USERS) / Decimal(day.users) * DAYS_PER_MONTH
    platform_log_only = Decimal(str(sum(day.invocations.values()) * 330)) * scale / GB
    cognito_mau = quantities["cognito.essentials_mau"]
    # One item per task (~300 B: a 1-unit transactional write) instead of the day's 20 tasks in one item.
    tasks_saved_units = Decimal(str(max(0.0, tasks_write_units - 2 * tasks_item_writes))) * scale
    lever_list = [
        Lever(
            "Cognito Lite tier instead of Essentials (no passwordless/managed login needed)",
            saving(**{"cognito.essentials_mau": Decimal(0)})
            - (cognito_mau * PRICES["cognito.lite_mau"]).quantize(CENT),
        ),
        Lever(
            "Log level WARN in production (Lambda's own lines only), logs in the Infrequent Access class",
            current
            - total(
                bill(
                    {
                        **quantities,
                        "cloudwatch.log_gb_ingested": Decimal(0),
                        "cloudwatch.log_gb_month": platform_log_only / 2,
                        "cloudwatch.log_gb_ingested_infrequent": platform_log_only,
                    }
                )
            ),
        ),
        Lever(
            "Daily tasks as one item per task instead of one item holding the day's 20",
            (tasks_saved_units * PRICES["dynamodb.write_request_unit"]).quantize(CENT),
        ),
        Lever(
            "Retention 7 days instead of 30 for CloudWatch logs",
            saving(**{"cloudwatch.log_gb_month": quantities["cloudwatch.log_gb_month"] * 7 / 30}),
        ),
        Lever(
            "Lambda memory 128 MB for the request handlers that stay under 100 ms (if run time holds)",
            saving(**{"lambda.gb_second": quantities["lambda.gb_second"] / 2}),
        ),
    ]
    return sorted(lever_list, key=lambda lever: lever.saves, reverse=True)
