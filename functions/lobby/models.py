"""The lobby API's response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from twtc_core.push_messages import PresenceStatus

HOST_EXAMPLE: JsonDict = {
    "user_id": "6f1c9a2e-1111-4a5b-9c3d-00000000000b",
    "name": "Meera Iyer",
    "call_rate": 1000,
    "status": "ONLINE",
}


class PresenceOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"user_id": "6f1c9a2e-1111-4a5b-9c3d-00000000000b", "status": "BUSY"}]
        }
    )

    user_id: str
    status: PresenceStatus


class HostOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [HOST_EXAMPLE]})

    user_id: str
    name: str | None
    call_rate: int = Field(description="Minor units charged per started minute.")
    status: PresenceStatus = Field(description="ONLINE or BUSY: OFFLINE hosts are not listed.")


class HostsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [HOST_EXAMPLE], "next_cursor": None}]}
    )

    items: list[HostOut] = Field(description="ONLINE hosts first, then BUSY ones.")
    next_cursor: str | None
