"""What tools write into a working tree stays out of git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL_OUTPUT = [
    ".schemathesis/report.json",
    ".hypothesis/examples/1",
    ".mypy_cache/3.12/cache.db",
    ".ruff_cache/CACHEDIR.TAG",
    ".pytest_cache/v/cache/lastfailed",
    ".coverage",
    "cdk.out/manifest.json",
    ".build/layers/.built",
    "functions/wallet/__pycache__/handler.cpython-312.pyc",
]


@pytest.mark.parametrize("path", TOOL_OUTPUT)
def test_tool_output_is_ignored_by_git(path: str) -> None:
    ignored = subprocess.run(["git", "check-ignore", "--quiet", "--no-index", path], cwd=ROOT, check=False)
    assert ignored.returncode == 0, f"{path} is not ignored (.gitignore)"
