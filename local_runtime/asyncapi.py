"""`/asyncapi.json`: the WebSocket API as an AsyncAPI 3.0 document, built from the message models
(`twtc_core.push_messages`), so what the functions push and what the document says cannot drift apart.

Operations are the server's: it receives the clients' actions and sends the typed messages.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from twtc_core.push_messages import CLIENT_MESSAGES, SERVER_MESSAGES

CHANNEL = "connection"
SCHEMA_REF = "#/components/schemas/{model}"


def message_name(model: type[BaseModel]) -> str:
    """The `action` or `type` value the message carries (`subscribe`, `call.tick`)."""
    for discriminator in ("action", "type"):
        field = model.model_fields.get(discriminator)
        if field is not None:
            return str(get_args(field.annotation)[0])
    raise ValueError(f"{model.__name__} has neither an action nor a type")


def _operation_id(action: str, name: str) -> str:
    words = name.replace(".", "_").split("_")
    return action + "".join(word.capitalize() for word in words)


def asyncapi_document(host: str) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for action, models in (("receive", CLIENT_MESSAGES), ("send", SERVER_MESSAGES)):
        for model in models:
            name = message_name(model)
            schema = model.model_json_schema(ref_template=SCHEMA_REF)
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
            messages[name] = {
                "name": name,
                "title": model.__name__,
                "summary": (model.__doc__ or name).strip(),
                "contentType": "application/json",
                "payload": {"$ref": SCHEMA_REF.format(model=model.__name__)},
                "examples": [{"payload": example} for example in schema.get("examples", [])],
            }
            operations[_operation_id(action, name)] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{name}"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "TWTC WebSocket API",
            "version": "1",
            "description": "Presence, call, mining and KYC notifications. Connect with the Cognito access"
            " token as `?token=`; send actions as JSON text frames; messages arrive as JSON text frames"
            " carrying a `type`. Amounts are integer minor units (1 TWTC = 100).",
        },
        "servers": {"local": {"host": host, "protocol": "ws", "pathname": "/ws"}},
        "channels": {
            CHANNEL: {
                "address": "/ws",
                "description": "One connection per app tab or device.",
                "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
                "bindings": {
                    "ws": {
                        "query": {
                            "type": "object",
                            "required": ["token"],
                            "properties": {"token": {"type": "string", "description": "Access token."}},
                        }
                    }
                },
            }
        },
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
