"""Construct ids and cdk-nag acknowledgments, shared by every construct."""

from __future__ import annotations

from typing import cast

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from constructs import IConstruct


def construct_id(name: str) -> str:
    """`referral_worker` -> `ReferralWorker`: readable logical ids in the template."""
    return "".join(part.capitalize() for part in name.replace("-", "_").split("_"))


def logical_id(construct: IConstruct) -> str:
    """The template's logical id of an L2 construct's resource (cdk-nag names findings by it)."""
    return Stack.of(construct).get_logical_id(cast(CfnElement, construct.node.default_child))


def deployed_stack_name(scope: IConstruct) -> str:
    """The name of the stack deployed with the construct: its own, or its top-level stack's if it is nested
    (a nested stack's own name is generated)."""
    stack = Stack.of(scope)
    while stack.nested_stack_parent is not None:
        stack = stack.nested_stack_parent
    return stack.stack_name


def acknowledge(construct: IConstruct, reason: str, *findings: str) -> None:
    """Accept AwsSolutions findings (`IAM5[Resource::*]`, `L1`) on a construct and its children, with why."""
    Validations.of(construct).acknowledge(
        *(Acknowledgment(id=f"AwsSolutions::AwsSolutions-{finding}", reason=reason) for finding in findings)
    )
