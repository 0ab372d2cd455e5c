"""The Cognito user pool (spec §3), its app client and groups, and the declared Lambda triggers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from aws_cdk import Duration, RemovalPolicy, SecretValue, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra_cdk.constructs.naming import acknowledge, construct_id
from infra_cdk.wiring import CognitoTrigger, FunctionSpec, UserPoolSpec

TRIGGER_OPERATIONS: dict[CognitoTrigger, cognito.UserPoolOperation] = {
    "PreSignUp": cognito.UserPoolOperation.PRE_SIGN_UP,
    "PostConfirmation": cognito.UserPoolOperation.POST_CONFIRMATION,
    "PreTokenGeneration": cognito.UserPoolOperation.PRE_TOKEN_GENERATION,
    "CustomMessage": cognito.UserPoolOperation.CUSTOM_MESSAGE,
}

# Cognito attribute name -> the CDK mask field that allows writing it.
STANDARD_ATTRIBUTE_MASKS = {"name": "fullname", "email": "email", "phone_number": "phone_number"}


class Identity(Construct):
    def __init__(self, scope: Construct, id: str, *, spec: UserPoolSpec) -> None:
        super().__init__(scope, id)
        self.spec = spec
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True, phone=True),
            auto_verify=cognito.AutoVerifiedAttrs(email=True, phone=True),
            # A changed email/phone only replaces the old one once verified.
            keep_original=cognito.KeepOriginalAttrs(email=True, phone=True),
            # Written once at sign-up (immutable), read by the post-confirmation trigger.
            custom_attributes={
                name: cognito.StringAttribute(mutable=False) for name in spec.custom_attributes
            },
            password_policy=cognito.PasswordPolicy(
                min_length=spec.password_min_length,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=True, otp=True),
            account_recovery=cognito.AccountRecovery.EMAIL_AND_PHONE_WITHOUT_MFA,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.user_pool,
            "Spec §3: MFA is optional for users (SMS or TOTP offered), not required.",
            "COG2",
        )
        acknowledge(
            self.user_pool,
            "Threat protection needs the Cognito Plus plan; abuse limits and anti-fraud are in the app (§9).",
            "COG8",
        )
        acknowledge(
            self.user_pool.node.find_child("smsRole"),
            "Cognito texts verification and MFA codes through SNS to phone numbers, which have no ARN.",
            "IAM5[Resource::*]",
        )
        # Confidential: the app talks to our API, never to Cognito, so only the backend (which holds the
        # secret) can sign users up, and it alone sets the sign-up attributes the referral checks trust.
        self.client = self.user_pool.add_client(
            "AppClient",
            generate_secret=True,
            write_attributes=_write_attributes(spec),
            auth_flows=cognito.AuthFlow(user_password=True),  # refresh-token auth is always on
            access_token_validity=Duration.minutes(spec.access_token_minutes),
            id_token_validity=Duration.minutes(spec.id_token_minutes),
            refresh_token_validity=Duration.days(spec.refresh_token_days),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            disable_o_auth=True,
        )
        client_resource = cast(cognito.CfnUserPoolClient, self.client.node.default_child)
        # Read with CloudFormation's GetAtt: no custom resource (and no extra Lambda) to fetch it.
        self.client_secret = secretsmanager.Secret(
            self,
            "AppClientSecret",
            description="The Cognito app client's secret, for the functions that call Cognito as the client",
            secret_string_value=SecretValue.resource_attribute(client_resource.attr_client_secret),
        )
        acknowledge(
            self.client_secret,
            "Cognito app client secrets cannot be rotated in place; rotating means replacing the app "
            "client, which replaces this secret and the functions' variables in the same deployment.",
            "SMG4",
        )
        for group in spec.groups:
            cognito.UserPoolGroup(
                self, f"{construct_id(group)}Group", user_pool=self.user_pool, group_name=group
            )

    def grant_client_secret(self, function: lambda_.Function) -> None:
        """The secret's ARN in the function's environment, and read access to that secret only."""
        function.add_environment(self.spec.client_secret_env_var, self.client_secret.secret_arn)
        self.client_secret.grant_read(function)

    @property
    def issuer(self) -> str:
        region = Stack.of(self).region
        return f"https://cognito-idp.{region}.amazonaws.com/{self.user_pool.user_pool_id}"

    def attach_triggers(
        self, specs: Sequence[FunctionSpec], functions: Mapping[str, lambda_.Function]
    ) -> None:
        for spec in specs:
            if spec.cognito_triggers and (spec.uses_user_pool or spec.calls_app_client):
                raise ValueError(
                    f"{spec.name!r}: a Cognito trigger cannot get USER_POOL_ID or the app client's secret "
                    "(the pool references the function: a dependency cycle); read the pool id from the "
                    "event's userPoolId"
                )
            for trigger in spec.cognito_triggers:
                self.user_pool.add_trigger(TRIGGER_OPERATIONS[trigger], functions[spec.name])


def _write_attributes(spec: UserPoolSpec) -> cognito.ClientAttributes:
    standard = [name for name in spec.client_write_attributes if not name.startswith("custom:")]
    return (
        cognito.ClientAttributes()
        .with_standard_attributes(**{STANDARD_ATTRIBUTE_MASKS[name]: True for name in standard})
        .with_custom_attributes(*spec.custom_attributes)
    )
