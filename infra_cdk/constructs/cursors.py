"""The key that seals list cursors (twtc_core.pagination): a generated Secrets Manager secret, readable
only by the functions that page."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge
from infra_cdk.wiring import CURSOR_SECRET_ENV_VAR


class CursorKey(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.secret = secretsmanager.Secret(
            self,
            "Secret",
            description="Seals the API's list cursors (AES-GCM key material)",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        acknowledge(
            self.secret,
            "Rotating the key only ends outstanding cursors (a client starts its list again); it is "
            "rotated by replacing the secret, not by a rotation Lambda.",
            "SMG4",
        )

    def grant(self, function: lambda_.Function) -> None:
        """The secret's ARN in the function's environment, and read access to that secret only."""
        function.add_environment(CURSOR_SECRET_ENV_VAR, self.secret.secret_arn)
        self.secret.grant_read(function)
