"""Who holds an access token: Cognito's GetUser, which also rejects expired and revoked tokens.

Calling Cognito (rather than verifying the JWT here) behaves identically against moto and AWS, and honours
global sign-out; it costs one call per connection, not per message.
"""

from __future__ import annotations

import boto3

from twtc_core.errors import Unauthenticated


class CognitoIdentity:
    def __init__(self, region: str) -> None:
        self._client = boto3.client("cognito-idp", region_name=region)

    def user_id_for(self, access_token: str) -> str:
        try:
            user = self._client.get_user(AccessToken=access_token)
        except (
            self._client.exceptions.NotAuthorizedException,
            self._client.exceptions.UserNotFoundException,
        ) as error:
            raise Unauthenticated("The access token is not valid.") from error
        return next(attribute["Value"] for attribute in user["UserAttributes"] if attribute["Name"] == "sub")
