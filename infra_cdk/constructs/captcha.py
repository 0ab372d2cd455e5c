"""The CAPTCHA provider's secret key: a Secrets Manager secret operators fill in (the provider issues it),
readable only by the functions that verify CAPTCHA answers."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge
from infra_cdk.wiring import CAPTCHA_SECRET_ENV_VAR


class CaptchaSecret(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.secret = secretsmanager.Secret(
            self, "Secret", description="The CAPTCHA provider's secret key (hCaptcha siteverify)"
        )
        acknowledge(
            self.secret,
            "The provider issues the key; it is rotated in the provider's console and pasted here.",
            "SMG4",
        )

    def grant(self, function: lambda_.Function) -> None:
        function.add_environment(CAPTCHA_SECRET_ENV_VAR, self.secret.secret_arn)
        self.secret.grant_read(function)
