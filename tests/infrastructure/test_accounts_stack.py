"""The accounts and referrals part of the stack, spelled out: triggers, the referral queue, and what
each accounts function may touch (the generic tests check every declaration; these name the intent)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App

from infra_cdk.app import environment_settings
from infra_cdk.wiring import FUNCTIONS, SETTINGS, function
from tests.infrastructure.conftest import Synthesized
from tests.infrastructure.test_functions import WRITE_ACTIONS, _granted


def _table(synthesized: Synthesized, name: str) -> str:
    return synthesized.logical_id(synthesized.stack.tables.by_name[name])


def _environment(synthesized: Synthesized, name: str) -> dict[str, Any]:
    properties = synthesized.template["Resources"][synthesized.function_id(name)]["Properties"]
    return dict(properties["Environment"]["Variables"])


def test_confirmation_and_sign_up_checks_are_the_pools_triggers(synthesized: Synthesized) -> None:
    (pool,) = synthesized.resources("AWS::Cognito::UserPool").values()
    config = pool["Properties"]["LambdaConfig"]
    assert config["PostConfirmation"]["Fn::GetAtt"][0] == synthesized.function_id("post_confirmation")
    assert config["PreSignUp"]["Fn::GetAtt"][0] == synthesized.function_id("pre_signup")


def test_the_referral_queue_redrives_after_5_receives_to_an_alarmed_dlq(
    synthesized: Synthesized, monitoring: Synthesized
) -> None:
    queue = synthesized.template["Resources"][
        synthesized.logical_id(synthesized.stack.queues.by_name["referral_rewards"])
    ]
    redrive = queue["Properties"]["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == 5
    dead_letter = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert any(
        alarm["Properties"].get("Dimensions", [{}])[0].get("Value")
        == {"Fn::GetAtt": [dead_letter, "QueueName"]}
        for alarm in monitoring.resources("AWS::CloudWatch::Alarm").values()
    )
    (mapping,) = [
        m["Properties"]
        for m in synthesized.resources("AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"]["Ref"] == synthesized.function_id("referral_worker")
    ]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_only_the_crediting_functions_write_the_ledger(synthesized: Synthesized) -> None:
    ledger = _table(synthesized, "ledger")
    for name, writes in [
        ("post_confirmation", False),
        ("provisioning_worker", True),
        ("referral_worker", True),
        ("profile", False),
        ("auth", False),
        ("referrals", False),
        ("pre_signup", False),
    ]:
        actions = _granted(synthesized, function(name), "dynamodb").get(ledger, set())
        assert bool(actions & WRITE_ACTIONS) is writes, name


def test_read_only_functions_cannot_write_accounts(synthesized: Synthesized) -> None:
    users = _table(synthesized, "users")
    granted = _granted(synthesized, function("referrals"), "dynamodb")
    assert set(granted) == {users} and not granted[users] & WRITE_ACTIONS
    # the PreSignUp trigger writes one thing: the reservation of the new user's inbox
    assert set(_granted(synthesized, function("pre_signup"), "dynamodb")) == {users}


def test_cognito_admin_actions_are_the_minimum(synthesized: Synthesized) -> None:
    pool = synthesized.logical_id(synthesized.stack.identity.user_pool)
    assert _granted(synthesized, function("auth"), "cognito-idp") == {
        pool: {"cognito-idp:AdminUserGlobalSignOut"}
    }
    for name in ("profile", "erasure_sweeper"):
        assert _granted(synthesized, function(name), "cognito-idp") == {pool: {"cognito-idp:AdminDeleteUser"}}
    assert _granted(synthesized, function("provisioning_worker"), "cognito-idp") == {
        pool: {"cognito-idp:AdminGetUser"}
    }
    # the admin users API: a search resolves an e-mail or phone alias; disable/enable lock the account out
    assert _granted(synthesized, function("admin_users"), "cognito-idp") == {
        pool: {
            "cognito-idp:AdminGetUser",
            "cognito-idp:AdminDisableUser",
            "cognito-idp:AdminEnableUser",
            "cognito-idp:AdminUserGlobalSignOut",
        }
    }
    for name in ("post_confirmation", "pre_signup", "referral_worker", "referrals"):
        assert _granted(synthesized, function(name), "cognito-idp") == {}, name


def test_api_functions_know_the_pool_and_triggers_do_not(synthesized: Synthesized) -> None:
    for name in ("auth", "profile", "provisioning_worker"):
        assert {"USER_POOL_ID", "USER_POOL_CLIENT_ID"} <= _environment(synthesized, name).keys(), name
    for name in ("post_confirmation", "pre_signup"):
        assert "USER_POOL_ID" not in _environment(synthesized, name), name
    # the trigger only queues the provisioning; the worker requests the referral reward
    assert "PROVISIONING_QUEUE_URL" in _environment(synthesized, "post_confirmation")
    assert "REFERRAL_REWARDS_QUEUE_URL" in _environment(synthesized, "provisioning_worker")


def test_each_function_gets_the_business_settings_it_declares_with_the_declared_values(
    synthesized: Synthesized,
) -> None:
    for spec in FUNCTIONS:
        environment = _environment(synthesized, spec.name)
        assert {name: environment[name] for name in spec.settings} == {
            name: str(SETTINGS[name]) for name in spec.settings
        }, spec.name
        assert not (set(SETTINGS) - set(spec.settings)) & environment.keys(), spec.name
    assert _environment(synthesized, "provisioning_worker")["SIGNUP_BONUS"] == "1000"


def test_an_environment_overrides_a_business_setting_by_context_and_cannot_invent_one() -> None:
    overridden = environment_settings(App(context={"settings": '{"SIGNUP_BONUS": 2000}'}))
    assert overridden == {**SETTINGS, "SIGNUP_BONUS": 2000}
    with pytest.raises(ValueError, match="SIGNUP_BONUSES"):
        environment_settings(App(context={"settings": {"SIGNUP_BONUSES": 1}}))
