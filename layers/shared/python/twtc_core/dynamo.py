"""Conditional writes whose failed condition is an answer, not an error (PynamoDB)."""

from __future__ import annotations

from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

CONDITION_FAILED = "ConditionalCheckFailedException"


def put_if(item: Model, condition: Condition) -> bool:
    """Put the item if `condition` holds; False when it did not (nothing was written)."""
    try:
        item.save(condition=condition)
    except PutError as error:
        if error.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def update_if(item: Model, actions: list[Action], condition: Condition | None) -> bool:
    """Apply `actions` if `condition` holds; False when it did not (nothing was written)."""
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if error.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True
