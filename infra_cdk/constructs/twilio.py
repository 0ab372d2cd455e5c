"""The Twilio account's credentials: one Secrets Manager secret (JSON), created by CDK as a placeholder;
ops put the real values in. Readable only by the functions that declare `reads_twilio_secret`."""

from __future__ import annotations

import json

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge
from infra_cdk.wiring import TWILIO_SECRET_ENV_VAR

CREDENTIAL_FIELDS = ("account_sid", "api_key_sid", "api_key_secret", "twiml_app_sid")


class TwilioAccount(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            description="Twilio: account SID, API key SID and secret, TwiML app SID, auth token (JSON)",
            # A random auth token until ops put the account's: until then no webhook passes its signature.
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps(dict.fromkeys(CREDENTIAL_FIELDS, "set-me")),
                generate_string_key="auth_token",
                exclude_punctuation=True,
                password_length=32,
            ),
        )
        acknowledge(
            self.secret,
            "Twilio's credentials are rotated in the Twilio console and then put here by ops; Secrets "
            "Manager cannot rotate them itself.",
            "SMG4",
        )

    def grant(self, function: lambda_.Function) -> None:
        """The secret's ARN in the function's environment, and read access to that secret only."""
        function.add_environment(TWILIO_SECRET_ENV_VAR, self.secret.secret_arn)
        self.secret.grant_read(function)
