"""The user pool, through boto3: the only code that calls Cognito, and the one place its errors become
domain errors (by error code, never by message).

The app client is confidential: every call made as the client (sign-up, confirmation, login, refresh)
carries a SECRET_HASH computed with the client's secret, so only the backend can make them.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Literal

import boto3
from aws_lambda_powertools.utilities import parameters
from botocore.exceptions import ClientError

from twtc_core import errors
from twtc_core.accounts.errors import (
    AccountExists,
    AccountNotConfirmed,
    AccountSuspended,
    ChallengeRequired,
    ConfirmationCodeExpired,
    IdentityProviderBusy,
    InvalidConfirmationCode,
    InvalidCredentials,
    SignupRejected,
    WeakPassword,
)

THROTTLED_RETRY_AFTER_SECONDS = 30
AuthFlow = Literal["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]

# Cognito error code -> (domain error, what the user is told). Anything else is unexpected (a 500).
DOMAIN_ERRORS: dict[str, tuple[type[errors.DomainError], str]] = {
    "UsernameExistsException": (AccountExists, "An account with this email or phone already exists."),
    "AliasExistsException": (AccountExists, "An account with this email or phone already exists."),
    "InvalidPasswordException": (WeakPassword, "The password does not meet the password policy."),
    "CodeMismatchException": (InvalidConfirmationCode, "The verification code is not correct."),
    "ExpiredCodeException": (ConfirmationCodeExpired, "The verification code has expired."),
    # Unknown users look exactly like wrong passwords: no account enumeration.
    "NotAuthorizedException": (InvalidCredentials, "Incorrect username or password."),
    "UserNotFoundException": (InvalidCredentials, "Incorrect username or password."),
    "UserNotConfirmedException": (AccountNotConfirmed, "Confirm your account with the code we sent."),
    "UserLambdaValidationException": (SignupRejected, "The sign-up was rejected."),
    "InvalidParameterException": (errors.Invalid, "The request was not accepted by the identity provider."),
}
# Cognito's message for a disabled user (an admin's disable, or the fraud engine's suspension): the one
# refusal the user is told apart from a wrong password, so they know to contact support (spec §9).
DISABLED = "User is disabled"
THROTTLING_CODES = {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}
# The refresh token this API hands out: `<Cognito username>.<Cognito refresh token>`. Cognito checks a
# refresh's SECRET_HASH against the user's Cognito username (in this pool, which signs in by email or
# phone, a generated UUID equal to `sub`), which the opaque Cognito token does not reveal; a tampered
# username fails that check.
SESSION_SEPARATOR = "."


def secret_hash(client_secret: str, client_id: str, username: str) -> str:
    """Cognito's SECRET_HASH: Base64(HMAC-SHA256(key=client secret, message=username + client id))."""
    digest = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclasses.dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    expires_in: int
    refresh_token: str | None

    @property
    def user_id(self) -> str:
        """The `sub` of the id token Cognito just issued to us over TLS (verifying it again adds nothing)."""
        return str(_payload(self.id_token)["sub"])

    @property
    def session_id(self) -> str:
        """The session these tokens belong to: Cognito's `origin_jti`, which every token refreshed from
        the same login shares (the user pool client has token revocation on)."""
        return str(_payload(self.access_token)["origin_jti"])


def _payload(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def translate(error: ClientError) -> errors.DomainError | ClientError:
    code = error.response.get("Error", {}).get("Code", "")
    if code in THROTTLING_CODES:
        return IdentityProviderBusy("Too many requests; try again later.", THROTTLED_RETRY_AFTER_SECONDS)
    if code == "NotAuthorizedException" and error.response["Error"].get("Message", "").startswith(DISABLED):
        return AccountSuspended("This account is suspended.")
    if code in DOMAIN_ERRORS:
        category, message = DOMAIN_ERRORS[code]
        return category(message)
    return error


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        translated = translate(error)
        if translated is error:
            raise
        raise translated from error


INVALID_TOKEN_CODES = ("NotAuthorizedException", "UserNotFoundException")


INVALID_TOKEN_CODES = ("NotAuthorizedException", "UserNotFoundException")


class UserPool:
    """`client_secret_id` names the app client's secret in Secrets Manager; only functions that call
    Cognito as the app client get it (administrative calls need none)."""

    def __init__(
        self, user_pool_id: str, client_id: str, region: str, *, client_secret_id: str | None = None
    ) -> None:
        self._pool_id = user_pool_id
        self._client_id = client_id
        self._client_secret_id = client_secret_id
        self._client = boto3.client("cognito-idp", region_name=region)

    @cached_property
    def _client_secret(self) -> str:
        """Fetched once per container, on first use (Powertools Parameters)."""
        if self._client_secret_id is None:
            raise RuntimeError("This UserPool was created without the app client's secret.")
        return str(parameters.get_secret(self._client_secret_id))

    def _secret_hash(self, username: str) -> str:
        return secret_hash(self._client_secret, self._client_id, username)

    def sign_up(self, username: str, password: str, attributes: dict[str, str]) -> str:
        """Register an unconfirmed user (Cognito sends the code); returns the user's `sub`."""
        with _translated():
            response = self._client.sign_up(
                ClientId=self._client_id,
                SecretHash=self._secret_hash(username),
                Username=username,
                Password=password,
                UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
            )
        return str(response["UserSub"])

    def confirm_sign_up(self, username: str, code: str) -> None:
        """An unknown username is answered like a wrong code, so confirmation cannot tell who has an
        account."""
        try:
            self._confirm_sign_up(username, code)
        except InvalidCredentials as unknown_user:
            raise InvalidConfirmationCode("The verification code is not correct.") from unknown_user

    def _confirm_sign_up(self, username: str, code: str) -> None:
        with _translated():
            self._client.confirm_sign_up(
                ClientId=self._client_id,
                SecretHash=self._secret_hash(username),
                Username=username,
                ConfirmationCode=code,
            )

    def password_login(self, username: str, password: str) -> Tokens:
        """Tokens whose refresh token is this API's: bound to the user's Cognito username (`sub`)."""
        tokens = self._authenticate(
            "USER_PASSWORD_AUTH",
            {"USERNAME": username, "PASSWORD": password, "SECRET_HASH": self._secret_hash(username)},
        )
        if tokens.refresh_token is None:
            return tokens
        session = f"{tokens.user_id}{SESSION_SEPARATOR}{tokens.refresh_token}"
        return dataclasses.replace(tokens, refresh_token=session)

    def refresh(self, refresh_token: str) -> Tokens:
        """New access and id tokens for a refresh token `password_login` handed out."""
        username, separator, cognito_token = refresh_token.partition(SESSION_SEPARATOR)
        if not (separator and username and cognito_token):
            raise InvalidCredentials("The refresh token is not valid.")
        return self._authenticate(
            "REFRESH_TOKEN_AUTH",
            {"REFRESH_TOKEN": cognito_token, "SECRET_HASH": self._secret_hash(username)},
        )

    def sign_out_everywhere(self, username: str) -> None:
        """Revoke every refresh token the user holds (Cognito global sign-out)."""
        with _translated():
            self._client.admin_user_global_sign_out(UserPoolId=self._pool_id, Username=username)

    def disable_user(self, username: str) -> None:
        """No password login and no refresh from now on (tokens already issued: see the session gate)."""
        with _translated():
            self._client.admin_disable_user(UserPoolId=self._pool_id, Username=username)

    def enable_user(self, username: str) -> None:
        with _translated():
            self._client.admin_enable_user(UserPoolId=self._pool_id, Username=username)

    def delete_user(self, username: str) -> None:
        """Delete the user; deleting one already gone is done, not an error."""
        try:
            self._client.admin_delete_user(UserPoolId=self._pool_id, Username=username)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "UserNotFoundException":
                raise

    def user_id_for(self, access_token: str) -> str:
        """Who holds an access token: Cognito's GetUser, which also rejects expired and revoked tokens.
        Calling Cognito (rather than verifying the JWT here) behaves identically against moto and AWS
        and honours global sign-out; it needs no IAM permission (the token authorises it)."""
        try:
            user = self._client.get_user(AccessToken=access_token)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in INVALID_TOKEN_CODES:
                raise errors.Unauthenticated("The access token is not valid.") from error
            raise
        return next(attribute["Value"] for attribute in user["UserAttributes"] if attribute["Name"] == "sub")

    def attributes_of(self, username: str) -> dict[str, str] | None:
        """The user's attributes (`sub`, `email`, `custom:...`); None when there is no such user."""
        try:
            response = self._client.admin_get_user(UserPoolId=self._pool_id, Username=username)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "UserNotFoundException":
                return None
            raise
        return {pair["Name"]: pair["Value"] for pair in response.get("UserAttributes", [])}

    def _authenticate(self, flow: AuthFlow, parameters: dict[str, str]) -> Tokens:
        with _translated():
            response = self._client.initiate_auth(
                ClientId=self._client_id, AuthFlow=flow, AuthParameters=parameters
            )
        result = response.get("AuthenticationResult")
        if not result:
            # A challenge (MFA, new password) this API does not drive yet.
            raise ChallengeRequired(
                "Additional verification is required.", {"challenge": response.get("ChallengeName")}
            )
        return Tokens(
            access_token=result["AccessToken"],
            id_token=result["IdToken"],
            expires_in=int(result["ExpiresIn"]),
            refresh_token=result.get("RefreshToken"),
        )
