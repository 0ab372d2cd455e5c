"""Users and tokens from the user pool: moto in-process (integration tests) or a local runtime's moto
(e2e, `endpoint_url`)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import boto3

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
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    user_id = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    return SignedInUser(email, user_id, tokens["AccessToken"])
