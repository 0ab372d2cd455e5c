"""The payout-destination key as deployed: rotated, kept, and usable only by the two functions that need it,
each for its one action and only under a withdrawal's encryption context."""

from __future__ import annotations

import json

from infra_cdk.wiring import FUNCTIONS, PAYOUT_KEY_ENV_VAR
from tests.infrastructure.conftest import Synthesized


def test_the_payout_key_rotates_and_outlives_the_stack(synthesized: Synthesized) -> None:
    key = synthesized.template["Resources"][synthesized.logical_id(synthesized.stack.payout_key.key)]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"


def test_only_withdrawals_encrypts_and_only_admin_wallets_decrypts_under_a_withdrawal_context(
    synthesized: Synthesized,
) -> None:
    key_id = synthesized.logical_id(synthesized.stack.payout_key.key)
    granted: dict[str, list[dict[str, object]]] = {}
    for spec in FUNCTIONS:
        for statement in synthesized.role_statements(spec.name):
            if key_id in json.dumps(statement.get("Resource")):
                granted.setdefault(spec.name, []).append(statement)
    assert {name: [s["Action"] for s in statements] for name, statements in granted.items()} == {
        "withdrawals": ["kms:Encrypt"],
        "admin_wallets": ["kms:Decrypt"],
    }
    for (statement,) in granted.values():
        assert statement["Resource"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert statement["Condition"] == {
            "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["user_id", "withdrawal_id"]},
            "Null": {
                "kms:EncryptionContext:user_id": "false",
                "kms:EncryptionContext:withdrawal_id": "false",
            },
        }
    # And the key's own policy delegates to IAM (the account), naming no function role directly
    policy = synthesized.template["Resources"][key_id]["Properties"]["KeyPolicy"]
    assert "Role" not in json.dumps(policy)


def test_the_two_functions_find_the_key_by_its_arn(synthesized: Synthesized) -> None:
    key_id = synthesized.logical_id(synthesized.stack.payout_key.key)
    for name in ("withdrawals", "admin_wallets"):
        function = synthesized.template["Resources"][synthesized.function_id(name)]["Properties"]
        assert function["Environment"]["Variables"][PAYOUT_KEY_ENV_VAR] == {"Fn::GetAtt": [key_id, "Arn"]}
