"""Users and tokens from the user pool: moto in-process (integration tests) or a local runtime's moto
(e2e, `endpoint_url`)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import boto3

from infra_cdk.wiring import USER_POOL
from twtc_core.cognito import secret_hash

PASSWORD = "Correct-Horse-9-Battery"


@dataclass(frozen=True)
class SignedInUser:
    email: str
    user_id: str
    access_token: str


def signed_in_user(email: str, endpoint_url: str | None = None) -> SignedInUser:
    """A confirmed user created by an administrator (no sign-up, so no confirmation trigger), signed in
    with USER_PASSWORD_AUTH."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=endpoint_url)
    pool_id, client_id = os.environ["USER_POOL_ID"], os.environ["USER_POOL_CLIENT_ID"]
    user = cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        MessageAction="SUPPRESS",
    )["User"]
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": email,
            "PASSWORD": PASSWORD,
            "SECRET_HASH": app_client_secret_hash(email, endpoint_url),
        },
    )["AuthenticationResult"]
    user_id = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    return SignedInUser(email, user_id, tokens["AccessToken"])


def app_client_secret_hash(username: str, endpoint_url: str | None = None) -> str:
    """The SECRET_HASH a call made as the app client needs, with the secret from Secrets Manager."""
    secrets = boto3.client("secretsmanager", region_name="us-east-1", endpoint_url=endpoint_url)
    secret = secrets.get_secret_value(SecretId=os.environ[USER_POOL.client_secret_env_var])["SecretString"]
    return secret_hash(secret, os.environ["USER_POOL_CLIENT_ID"], username)
