"""The local Cognito emulation itself: hooks installed once, codes checked, triggers where AWS runs them."""

from __future__ import annotations

import os

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.handlers import BUILTIN_HANDLERS

from local_runtime.cognito import install_cognito_emulation
from local_runtime.outbox import Outbox
from tests.support.accounts import PASSWORD
from tests.support.cognito import app_client_secret_hash


def test_installing_twice_registers_each_hook_once() -> None:
    before = list(BUILTIN_HANDLERS)
    install_cognito_emulation()
    install_cognito_emulation()
    assert before == BUILTIN_HANDLERS


def test_admin_created_users_pass_the_pre_sign_up_trigger(cognito: Outbox) -> None:
    client = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])
    with pytest.raises(ClientError) as refused:
        client.admin_create_user(
            UserPoolId=os.environ["USER_POOL_ID"],
            Username="temp@mailinator.com",
            UserAttributes=[{"Name": "email", "Value": "temp@mailinator.com"}],
        )
    assert refused.value.response["Error"]["Code"] == "UserLambdaValidationException"


def test_a_sign_up_outside_the_api_gets_a_code_and_is_checked_on_confirmation(cognito: Outbox) -> None:
    client = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])
    client_id = os.environ["USER_POOL_CLIENT_ID"]
    proof = app_client_secret_hash("dana@example.com")
    client.sign_up(
        ClientId=client_id,
        SecretHash=proof,
        Username="dana@example.com",
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "custom:device_id", "Value": "device-dana-0001"},
            {"Name": "custom:signup_ip", "Value": "203.0.113.81"},
        ],
    )
    (message,) = cognito.messages("dana@example.com")
    code = message["payload"]["code"]
    assert len(code) == 6 and code.isdigit()

    with pytest.raises(client.exceptions.CodeMismatchException):
        client.confirm_sign_up(
            ClientId=client_id,
            SecretHash=proof,
            Username="dana@example.com",
            ConfirmationCode=f"{(int(code) + 1) % 10**6:06d}",
        )
    client.confirm_sign_up(
        ClientId=client_id, SecretHash=proof, Username="dana@example.com", ConfirmationCode=code
    )
    user = client.admin_get_user(UserPoolId=os.environ["USER_POOL_ID"], Username="dana@example.com")
    assert user["UserStatus"] == "CONFIRMED"
