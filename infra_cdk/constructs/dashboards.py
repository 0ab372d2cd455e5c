"""One CloudWatch dashboard per domain (issue 13): each function's invocations, errors, throttles and p95
duration, the queues its functions consume (with their dead letters) and the stream failures they give up on.

`DOMAINS` is the one place a function is given its domain; a declared function missing from it stops the
synth, so every new function lands on a dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra_cdk.constructs.naming import construct_id, deployed_stack_name
from infra_cdk.constructs.queues import Queues
from infra_cdk.wiring import FunctionSpec

DOMAINS: Mapping[str, tuple[str, ...]] = {
    "money": (
        "wallet",
        "reconcile",
        "withdrawals",
        "admin_wallets",
        "kyc",
        "kyc_webhook",
        "kyc_worker",
        "admin_kyc",
    ),
    "earning": (
        "ads",
        "admob_ssv",
        "mining",
        "boosts",
        "tasks",
        "videos",
        "admin_content",
        "midnight_reset",
        "group_window",
        "group_rebalance",
        "referrals",
        "referral_worker",
    ),
    "calls": ("calls", "twilio_webhooks", "billing_tick", "presence", "lobby"),
    "trust": (
        "fraud_evaluator",
        "captcha",
        "admin_trust",
        "admin_users",
        "admin_stats",
        "auth",
        "profile",
        "pre_signup",
        "post_confirmation",
        "provisioning_worker",
        "erasure_sweeper",
    ),
}
PERIOD = Duration.minutes(5)
WIDGET_WIDTH = 8  # three widgets a row on the 24-column grid


def domain_of(function_name: str) -> str:
    for domain, names in DOMAINS.items():
        if function_name in names:
            return domain
    raise ValueError(f"function {function_name!r} has no domain: add it to DOMAINS in {__name__}")


class Dashboards(Construct):
    """`by_domain` maps each domain to its dashboard."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        specs: Sequence[FunctionSpec],
        functions: Mapping[str, lambda_.Function],
        queues: Queues,
        stream_failures: Mapping[tuple[str, str], sqs.Queue],
    ) -> None:
        super().__init__(scope, id)
        widgets: dict[str, list[cloudwatch.IWidget]] = {domain: [] for domain in DOMAINS}
        for spec in specs:
            widgets[domain_of(spec.name)].append(_function_widget(spec.name, functions[spec.name]))
        for spec in specs:
            for source in spec.queue_sources:
                widgets[domain_of(spec.name)].append(_queue_widget(source.queue, queues))
        for (function_name, table), failures in stream_failures.items():
            widgets[domain_of(function_name)].append(
                _depth_widget(f"{function_name}: {table} stream failures", failures)
            )
        stack_name = deployed_stack_name(self)
        self.by_domain = {
            domain: cloudwatch.Dashboard(
                self,
                construct_id(domain),
                dashboard_name=f"{stack_name}-{domain}",
                default_interval=Duration.hours(3),
                widgets=[domain_widgets],
            )
            for domain, domain_widgets in widgets.items()
        }


def _function_widget(name: str, function: lambda_.Function) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=f"{name}: invocations, errors, throttles, p95 duration",
        width=WIDGET_WIDTH,
        left=[
            function.metric_invocations(period=PERIOD, statistic=cloudwatch.Stats.SUM),
            function.metric_errors(period=PERIOD, statistic=cloudwatch.Stats.SUM),
            function.metric_throttles(period=PERIOD, statistic=cloudwatch.Stats.SUM),
        ],
        right=[function.metric_duration(period=PERIOD, statistic=cloudwatch.Stats.percentile(95))],
    )


def _queue_widget(name: str, queues: Queues) -> cloudwatch.GraphWidget:
    queue = queues.by_name[name]
    return cloudwatch.GraphWidget(
        title=f"{name} queue: waiting, dead letters, oldest age",
        width=WIDGET_WIDTH,
        left=[
            queue.metric_approximate_number_of_messages_visible(period=PERIOD, label="waiting"),
            queues.dead_letters[name].metric_approximate_number_of_messages_visible(
                period=PERIOD, label="dead letters"
            ),
        ],
        right=[queue.metric_approximate_age_of_oldest_message(period=PERIOD, label="oldest (s)")],
    )


def _depth_widget(title: str, queue: sqs.Queue) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(
        title=title,
        width=WIDGET_WIDTH,
        left=[queue.metric_approximate_number_of_messages_visible(period=PERIOD, label="records")],
    )
