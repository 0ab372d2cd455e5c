"""The accounts functions' logic modules stay out of storage: no PynamoDB, no items, no key strings."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
from pynamodb.models import Model

ROOT = Path(__file__).resolve().parents[2]
LOGIC_MODULES = sorted(
    f"functions.{path.parent.name}.logic" for path in (ROOT / "functions").glob("*/logic.py")
)
KEY_STRING = re.compile(r"^[A-Z_]+#")


@pytest.mark.parametrize("module_name", LOGIC_MODULES)
def test_logic_neither_imports_pynamodb_nor_builds_items_or_keys(module_name: str) -> None:
    # Given a logic module's source and what it imports
    module = importlib.import_module(module_name)
    tree = ast.parse((ROOT / (module_name.replace(".", "/") + ".py")).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]

    # Then it does not know PynamoDB, holds no model class, and spells no storage key
    assert "pynamodb" not in imported
    assert not [
        name for name, value in vars(module).items() if inspect.isclass(value) and issubclass(value, Model)
    ]
    assert not [string for string in strings if KEY_STRING.match(string)]
