"""Calls in the synthesized stack: the Twilio secret and who reads it, the billing tick's schedule, the
sparse index of active calls, public webhook routes, and least-privilege table access."""

from __future__ import annotations

import json
from typing import Any

from infra_cdk.wiring import FUNCTIONS, SETTINGS, TWILIO_SECRET_ENV_VAR
from tests.infrastructure.conftest import Synthesized


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {
        action
        for statement in statements
        for action in ([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
    }


def test_the_twilio_secret_is_a_placeholder_only_the_call_functions_read(synthesized: Synthesized) -> None:
    secret_id = synthesized.logical_id(synthesized.stack.twilio.secret)
    secret = synthesized.template["Resources"][secret_id]["Properties"]
    template = json.loads(secret["GenerateSecretString"]["SecretStringTemplate"])
    assert set(template) == {"account_sid", "api_key_sid", "api_key_secret", "twiml_app_sid"}
    assert secret["GenerateSecretString"]["GenerateStringKey"] == "auth_token"
    assert synthesized.secret_readers(secret_id) == {"calls", "twilio_webhooks", "billing_tick"}
    for name in ("calls", "twilio_webhooks", "billing_tick"):
        variables = synthesized.template["Resources"][synthesized.function_id(name)]["Properties"][
            "Environment"
        ]
        assert variables["Variables"][TWILIO_SECRET_ENV_VAR] == {"Ref": secret_id}


def test_the_billing_tick_runs_every_minute_and_finishes_within_it(synthesized: Synthesized) -> None:
    function_id = synthesized.function_id("billing_tick")
    assert synthesized.schedule_expressions("billing_tick") == ["rate(1 minute)"]
    assert synthesized.resources("AWS::Lambda::Function")[function_id]["Properties"]["Timeout"] < 60


def test_the_calls_table_has_the_sparse_active_index(synthesized: Synthesized) -> None:
    table = synthesized.template["Resources"][
        synthesized.logical_id(synthesized.stack.tables.by_name["calls"])
    ]
    indexes = {index["IndexName"]: index for index in table["Properties"]["GlobalSecondaryIndexes"]}
    assert [key["AttributeName"] for key in indexes["active"]["KeySchema"]] == ["active_pk", "active_sk"]


def test_the_webhooks_are_public_and_the_calls_api_is_authorized(synthesized: Synthesized) -> None:
    routes = {
        route["Properties"]["RouteKey"]: route["Properties"].get("AuthorizationType", "NONE")
        for route in synthesized.resources("AWS::ApiGatewayV2::Route").values()
    }
    assert routes["POST /webhooks/twilio/voice"] == routes["POST /webhooks/twilio/status"] == "NONE"
    assert routes["GET /v1/calls"] == routes["POST /v1/calls/token"] == routes["GET /v1/calls/{id}"] == "JWT"


def test_only_the_webhooks_and_the_tick_move_money_and_the_token_function_writes_nothing(
    synthesized: Synthesized,
) -> None:
    writes = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
    for name in ("twilio_webhooks", "billing_tick"):
        assert writes & _actions(synthesized.role_statements(name))
    assert not writes & _actions(synthesized.role_statements("calls"))
    settings = {spec.name: spec.settings for spec in FUNCTIONS}
    variables = synthesized.template["Resources"][synthesized.function_id("twilio_webhooks")]["Properties"]
    assert variables["Environment"]["Variables"]["PUBLIC_BASE_URL"] == SETTINGS["PUBLIC_BASE_URL"]
    assert "HOST_SHARE_PERCENT" in settings["billing_tick"]
