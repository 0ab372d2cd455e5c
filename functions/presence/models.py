"""The WebSocket events the presence function understands (its messages: twtc_core.push_messages)."""

from __future__ import annotations

from aws_lambda_powertools.utilities.parser.models import APIGatewayWebSocketConnectEventModel
from pydantic import Field


class ConnectEvent(APIGatewayWebSocketConnectEventModel):
    """`$connect` carries the client's query string: the Cognito access token arrives as `?token=`."""

    query_string_parameters: dict[str, str] | None = Field(None, alias="queryStringParameters")

    @property
    def token(self) -> str | None:
        return (self.query_string_parameters or {}).get("token")
