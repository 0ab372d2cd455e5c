"""Issue 10 in the synthesized template: each group-window rule hands its group to the function as the
rule's constant input, and the public AdMob callback can touch the earning table and nothing else."""

from __future__ import annotations

import json
from typing import Any

from infra_cdk.wiring import SETTINGS, function
from tests.infrastructure.conftest import Synthesized


def _references(node: Any) -> set[str]:
    """The logical ids a template fragment refers to (Ref / Fn::GetAtt)."""
    if isinstance(node, dict):
        found = {node["Ref"]} if isinstance(node.get("Ref"), str) else set()
        if "Fn::GetAtt" in node:
            found.add(node["Fn::GetAtt"][0])
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node))
    return set()


def test_each_group_window_rule_sends_its_group(synthesized: Synthesized) -> None:
    function_id = synthesized.function_id("group_window")
    inputs = sorted(
        (rule["Properties"]["ScheduleExpression"], json.loads(target["Input"])["group"])
        for rule in synthesized.resources("AWS::Events::Rule").values()
        for target in rule["Properties"]["Targets"]
        if target["Arn"]["Fn::GetAtt"][0] == function_id
    )
    declared = sorted(
        (schedule.expression, json.loads(schedule.input_json or "{}")["group"])
        for schedule in function("group_window").schedules
    )
    assert inputs == declared
    assert len(inputs) == 2 * int(SETTINGS["MINING_GROUPS"])


def test_the_admob_callback_reaches_only_the_earning_table(synthesized: Synthesized) -> None:
    role_id = synthesized.resources("AWS::Lambda::Function")[synthesized.function_id("admob_ssv")][
        "Properties"
    ]["Role"]["Fn::GetAtt"][0]
    tables = {synthesized.logical_id(table): name for name, table in synthesized.stack.tables.by_name.items()}
    reached = {
        tables[reference]
        for policy in synthesized.resources("AWS::IAM::Policy").values()
        if role_id in _references(policy["Properties"]["Roles"])
        for reference in _references(policy["Properties"]["PolicyDocument"])
        if reference in tables
    }
    assert reached == {"earning"}
