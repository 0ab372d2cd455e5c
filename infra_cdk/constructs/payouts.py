"""The KMS key that seals withdrawals' full payout destinations (twtc_core.withdrawals.sealing): rotated
yearly; a function declaring `payout_key` gets its one action on it, and only with a ciphertext bound to a
withdrawal (both encryption-context keys present, no others)."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.wiring import PAYOUT_KEY_ENV_VAR, PayoutKeyUse

KMS_ACTIONS: dict[PayoutKeyUse, str] = {"encrypt": "kms:Encrypt", "decrypt": "kms:Decrypt"}
# twtc_core.withdrawals.sealing.encryption_context: the withdrawal and its owner.
CONTEXT_KEYS = ("user_id", "withdrawal_id")


class PayoutKey(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.key = kms.Key(
            self,
            "Key",
            description="Seals withdrawals' full payout destinations (UPI id, bank account)",
            enable_key_rotation=True,
            # Deleting the key would make every open withdrawal's destination unreadable.
            removal_policy=RemovalPolicy.RETAIN,
        )

    def grant(self, function: lambda_.Function, use: PayoutKeyUse) -> None:
        """The key's ARN in the function's environment, and the one action `use` needs on that key."""
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=[KMS_ACTIONS[use]],
                resources=[self.key.key_arn],
                conditions={
                    "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": list(CONTEXT_KEYS)},
                    "Null": {f"kms:EncryptionContext:{key}": "false" for key in CONTEXT_KEYS},
                },
            )
        )
        function.add_environment(PAYOUT_KEY_ENV_VAR, self.key.key_arn)
