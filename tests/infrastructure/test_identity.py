"""The Cognito user pool (spec §3) and the declared triggers."""

from __future__ import annotations

from typing import Any

from infra_cdk.wiring import FUNCTIONS, USER_POOL
from tests.infrastructure.conftest import Synthesized


def _pool(synthesized: Synthesized) -> dict[str, Any]:
    return synthesized.template["Resources"][synthesized.logical_id(synthesized.stack.identity.user_pool)]


def test_user_pool_signs_in_by_email_or_phone_with_optional_mfa(synthesized: Synthesized) -> None:
    pool = _pool(synthesized)
    properties = pool["Properties"]
    assert sorted(properties["UsernameAttributes"]) == ["email", "phone_number"]
    assert sorted(properties["AutoVerifiedAttributes"]) == ["email", "phone_number"]
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert properties["MfaConfiguration"] == "OPTIONAL"
    assert sorted(properties["EnabledMfas"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert properties["AccountRecoverySetting"]["RecoveryMechanisms"]
    assert properties["DeletionProtection"] == "ACTIVE"
    assert pool["DeletionPolicy"] == "Retain"
    custom = {attribute["Name"] for attribute in properties["Schema"]}
    assert custom == set(USER_POOL.custom_attributes)


def test_password_policy_is_strong(synthesized: Synthesized) -> None:
    policy = _pool(synthesized)["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == USER_POOL.password_min_length >= 8
    assert all(policy[f"Require{kind}"] for kind in ("Lowercase", "Uppercase", "Numbers", "Symbols"))


def test_app_client_tokens_and_flows(synthesized: Synthesized) -> None:
    (client,) = synthesized.resources("AWS::Cognito::UserPoolClient").values()
    properties = client["Properties"]
    assert properties["GenerateSecret"] is True
    assert set(properties["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert properties["AccessTokenValidity"] == USER_POOL.access_token_minutes == 15
    assert properties["IdTokenValidity"] == USER_POOL.id_token_minutes
    assert properties["RefreshTokenValidity"] == USER_POOL.refresh_token_days * 24 * 60
    assert properties["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "minutes",
    }


def test_the_app_client_writes_only_what_the_backend_sets_at_sign_up(synthesized: Synthesized) -> None:
    (client,) = synthesized.resources("AWS::Cognito::UserPoolClient").values()
    assert sorted(client["Properties"]["WriteAttributes"]) == sorted(
        ["name", "email", "phone_number", "custom:device_id", "custom:signup_ip", "custom:referral_code"]
    )


def test_the_client_secret_is_kept_in_secrets_manager(synthesized: Synthesized) -> None:
    client_id = synthesized.logical_id(synthesized.stack.identity.client)
    secret = synthesized.template["Resources"][
        synthesized.logical_id(synthesized.stack.identity.client_secret)
    ]
    assert secret["Properties"]["SecretString"] == {"Fn::GetAtt": [client_id, "ClientSecret"]}


def test_only_functions_calling_as_the_app_client_can_read_its_secret(synthesized: Synthesized) -> None:
    secret_id = synthesized.logical_id(synthesized.stack.identity.client_secret)
    assert (
        synthesized.secret_readers(secret_id)
        == {spec.name for spec in FUNCTIONS if spec.calls_app_client}
        == {"auth"}
    )
    granted_anywhere = [
        policy_id
        for policy_id, policy in synthesized.resources("AWS::IAM::Policy").items()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if {"Ref": secret_id} in _as_list(statement["Resource"])
    ]
    assert len(granted_anywhere) == 1
    auth = synthesized.template["Resources"][synthesized.function_id("auth")]["Properties"]
    assert auth["Environment"]["Variables"][USER_POOL.client_secret_env_var] == {"Ref": secret_id}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_groups_are_the_declared_ones(synthesized: Synthesized) -> None:
    groups = synthesized.resources("AWS::Cognito::UserPoolGroup").values()
    assert sorted(group["Properties"]["GroupName"] for group in groups) == sorted(USER_POOL.groups)


def test_triggers_are_exactly_the_declared_ones(synthesized: Synthesized) -> None:
    declared = {
        trigger: synthesized.function_id(spec.name) for spec in FUNCTIONS for trigger in spec.cognito_triggers
    }
    lambda_config = _pool(synthesized)["Properties"].get("LambdaConfig", {})
    assert {trigger: arn["Fn::GetAtt"][0] for trigger, arn in lambda_config.items()} == declared
