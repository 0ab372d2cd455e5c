"""The confidential app client: only a holder of its secret (the auth function) can sign users up, and a
sign-up that did not come through the API is refused even then."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.cognitoidp.utils import check_secret_hash

from functions.auth import handler as auth_function
from functions.pre_signup.handler import lambda_handler as pre_signup
from infra_cdk.wiring import USER_POOL
from local_runtime.outbox import Outbox
from tests.support.accounts import PASSWORD, call, log_in, open_account
from tests.support.cognito import PASSWORD as COGNITO_PASSWORD
from tests.support.cognito import signed_in_user
from tests.support.events import FakeLambdaContext, event
from twtc_core.accounts.errors import SignupRejected

SERVICE_EVENTS = "before-call.cognito-identity-provider"


def _attribute_list(attributes: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": name, "Value": value} for name, value in attributes.items()]


@pytest.fixture
def sent_to_cognito() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """(operation, request body) of every call the auth function makes to Cognito, as sent."""
    sent: list[tuple[str, dict[str, Any]]] = []

    def capture(model: Any, params: dict[str, Any], **_: Any) -> None:
        sent.append((model.name, json.loads(params["body"])))

    events = auth_function.services.pool._client.meta.events
    events.register(SERVICE_EVENTS, capture, unique_id="twtc-test-capture")
    yield sent
    events.unregister(SERVICE_EVENTS, unique_id="twtc-test-capture")


def _proves_the_secret(secret_hash: str | None, username: str) -> bool:
    secret = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"]).get_secret_value(
        SecretId=os.environ[USER_POOL.client_secret_env_var]
    )["SecretString"]
    return check_secret_hash(secret, os.environ["USER_POOL_CLIENT_ID"], username, secret_hash)


def test_every_call_as_the_app_client_carries_a_correct_secret_hash(
    cognito: Outbox, sent_to_cognito: list[tuple[str, dict[str, Any]]]
) -> None:
    # Given an account signed up, confirmed and logged in through the API
    asha = open_account(cognito, "asha@example.com")
    _, tokens, _ = log_in(asha.username, asha.device_id)

    # When its session is refreshed
    refreshed = call(
        auth_function.lambda_handler,
        "http_api_auth_refresh",
        caller=None,
        body={"refresh_token": tokens["refresh_token"]},
    )

    # Then each request proved the secret for its username; a refresh, for the Cognito username (`sub`)
    assert refreshed[0] == 200
    proofs = {
        "SignUp": lambda body: (body.get("SecretHash"), body["Username"]),
        "ConfirmSignUp": lambda body: (body.get("SecretHash"), body["Username"]),
        "InitiateAuth": lambda body: (
            body["AuthParameters"].get("SECRET_HASH"),
            asha.user_id if body["AuthFlow"] == "REFRESH_TOKEN_AUTH" else body["AuthParameters"]["USERNAME"],
        ),
    }
    flows = [body.get("AuthFlow", operation) for operation, body in sent_to_cognito]
    assert flows == ["SignUp", "ConfirmSignUp", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    for operation, body in sent_to_cognito:
        assert _proves_the_secret(*proofs[operation](body)), operation


def test_a_refresh_token_bound_to_another_user_is_401(cognito: Outbox) -> None:
    asha = open_account(cognito, "asha@example.com")
    _, tokens, _ = log_in(asha.username, asha.device_id)
    _, cognito_token = tokens["refresh_token"].split(".", 1)
    assert tokens["refresh_token"].startswith(f"{asha.user_id}.")

    forged = f"00000000-0000-4000-8000-000000000000.{cognito_token}"
    status, body, _ = call(
        auth_function.lambda_handler, "http_api_auth_refresh", caller=None, body={"refresh_token": forged}
    )

    assert (status, body["error"]["code"]) == (401, "invalid_credentials")


def test_a_sign_up_straight_to_cognito_without_the_secret_is_refused(cognito: Outbox) -> None:
    client = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])
    attributes = {"custom:device_id": "device-mallory-0001", "custom:signup_ip": "203.0.113.66"}

    with pytest.raises(ClientError) as refused:
        client.sign_up(
            ClientId=os.environ["USER_POOL_CLIENT_ID"],
            Username="mallory@example.com",
            Password=PASSWORD,
            UserAttributes=_attribute_list(attributes),
        )

    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert client.list_users(UserPoolId=os.environ["USER_POOL_ID"])["Users"] == []
    assert cognito.messages("mallory@example.com") == []


@pytest.mark.parametrize(
    "missing", [("custom:device_id", "custom:signup_ip"), ("custom:signup_ip",), ("custom:device_id",)]
)
def test_the_pre_sign_up_trigger_refuses_a_self_sign_up_without_the_apis_attributes(
    aws: dict[str, str], missing: tuple[str, ...]
) -> None:
    trigger = event("cognito_pre_signup")
    for name in missing:
        del trigger["request"]["userAttributes"][name]
    del trigger["request"]["userAttributes"]["custom:referral_code"]

    with pytest.raises(SignupRejected, match="Sign up through the TWTC app"):
        pre_signup(trigger, FakeLambdaContext())


def test_an_administrator_may_create_a_user_without_the_apis_attributes(cognito: Outbox) -> None:
    client = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])

    client.admin_create_user(
        UserPoolId=os.environ["USER_POOL_ID"],
        Username="ops@example.com",
        UserAttributes=_attribute_list({"email": "ops@example.com"}),
        MessageAction="SUPPRESS",
    )

    (user,) = client.list_users(UserPoolId=os.environ["USER_POOL_ID"])["Users"]
    assert {"Name": "email", "Value": "ops@example.com"} in user["Attributes"]


def test_a_password_login_straight_to_cognito_without_the_secret_is_refused(cognito: Outbox) -> None:
    # Given a user who exists and knows their password
    user = signed_in_user("ravi@example.com")
    client = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])

    # When they log in with Cognito directly, without the client's secret, they are refused
    with pytest.raises(client.exceptions.NotAuthorizedException):
        client.initiate_auth(
            ClientId=os.environ["USER_POOL_CLIENT_ID"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.email, "PASSWORD": COGNITO_PASSWORD},
        )
