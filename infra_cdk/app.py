"""The CDK app: one environment-agnostic stack, checked by cdk-nag's AwsSolutions rules.

`cdk synth` (`make synth`) runs it; it needs no AWS credentials. cdk-nag findings that are neither fixed
nor acknowledged (with a reason, on the construct concerned) fail the synthesis.
"""

from __future__ import annotations

import json
import sys

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from infra_cdk import wiring
from infra_cdk.constructs.admin_console import ConsoleNotBuiltError
from infra_cdk.stack import PlatformStack

STACK_NAME = "Twtc"


def environment_settings(app: App) -> dict[str, int | str]:
    """The business settings of the environment deployed: the declared values, with any given as
    context (`-c settings='{"SIGNUP_BONUS": 2000}'`) instead; an undeclared name is refused."""
    given = app.node.try_get_context("settings") or {}
    overrides = json.loads(given) if isinstance(given, str) else dict(given)
    unknown = sorted(set(overrides) - set(wiring.SETTINGS))
    if unknown:
        raise ValueError(f"unknown settings {unknown}; declared: {sorted(wiring.SETTINGS)}")
    return {**wiring.SETTINGS, **overrides}


def check_compliance(app: App) -> None:
    """cdk-nag's AwsSolutions rules, on every stack of the app (the nested monitoring stack too)."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))


def build_app(app: App | None = None) -> tuple[App, PlatformStack]:
    app = app or App()
    stack = PlatformStack(
        app,
        STACK_NAME,
        settings=environment_settings(app),
        description="TWTC: earn coins, spend them on 1:1 audio calls (HTTP/WebSocket APIs, Lambda, DynamoDB)",
    )
    check_compliance(app)
    return app, stack


def main(app: App | None = None) -> None:
    try:
        app, _ = build_app(app)
    except ConsoleNotBuiltError as missing:
        sys.exit(str(missing))  # the one line that says what to run, not a traceback
    app.synth()


if __name__ == "__main__":
    main()
