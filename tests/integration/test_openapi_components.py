"""`/openapi.json` merges each HTTP function's own document (local_runtime/openapi.py), whose component
schemas are named after the classes alone: two different classes of one name in two functions would end up
as one component, silently describing one of them wrongly (as `QuestionOut` once did). Every class a
route's signature or declared responses reach must own its name across the whole API."""

from __future__ import annotations

import importlib
import typing
from collections import defaultdict
from collections.abc import Iterator
from enum import Enum
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver, Route
from pydantic import BaseModel

from infra_cdk.wiring import FUNCTIONS

# What becomes a named component: pydantic models and the enums their fields use.
Component = type[BaseModel] | type[Enum]


def named_types(annotation: Any, seen: set[Component]) -> Iterator[Component]:
    """The models and enums an annotation reaches, through unions, containers, `Annotated` and fields."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                yield from named_types(field.annotation, seen)
    for argument in typing.get_args(annotation):
        yield from named_types(argument, seen)


def route_types(route: Route) -> Iterator[Any]:
    """What the route's handler takes and returns, and the bodies its `responses=` declare."""
    yield from typing.get_type_hints(route.func, include_extras=True).values()
    for response in (route.responses or {}).values():
        for content in response.get("content", {}).values():
            if "model" in content:
                yield content["model"]


def components_by_name() -> dict[str, set[Component]]:
    found: dict[str, set[Component]] = defaultdict(set)
    for spec in FUNCTIONS:
        if not spec.routes:
            continue
        module = importlib.import_module(spec.handler.rsplit(".", 1)[0])
        for resolver in (value for value in vars(module).values() if isinstance(value, ApiGatewayResolver)):
            seen: set[Component] = set()
            for route in resolver._static_routes + resolver._dynamic_routes:
                for annotation in route_types(route):
                    for component in named_types(annotation, seen):
                        found[component.__name__].add(component)
    return found


def test_no_two_classes_share_a_component_name(aws: dict[str, str]) -> None:
    # Given every class the HTTP functions' documents are generated from
    found = components_by_name()
    # Then each name is one class's: else both are named, module and all
    shared = {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in found.items()
        if len(classes) > 1
    }
    assert shared == {}
    assert {"WalletOut", "ErrorBody", "QuestionOut"} <= found.keys()  # the walk reaches nested bodies too
