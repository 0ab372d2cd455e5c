"""The WebSocket events and messages the presence function understands."""

from __future__ import annotations

from typing import Literal

from aws_lambda_powertools.utilities.parser.models import APIGatewayWebSocketConnectEventModel
from pydantic import BaseModel, Field


class ConnectEvent(APIGatewayWebSocketConnectEventModel):
    """`$connect` carries the client's query string: the Cognito access token arrives as `?token=`."""

    query_string_parameters: dict[str, str] | None = Field(None, alias="queryStringParameters")

    @property
    def token(self) -> str | None:
        return (self.query_string_parameters or {}).get("token")


class SubscribeMessage(BaseModel):
    action: Literal["subscribe"]
    user_ids: list[str] = Field(min_length=1, max_length=50)


class ErrorMessage(BaseModel):
    type: Literal["error"] = "error"
    code: str
    message: str
