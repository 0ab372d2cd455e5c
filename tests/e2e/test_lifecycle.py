"""`make dev` stops cleanly on Ctrl-C."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import start_runtime


def test_ctrl_c_stops_the_runtime_cleanly(tmp_path: Path) -> None:
    runtime = start_runtime(tmp_path / "runtime.log")
    assert runtime.interrupt() == 0
    assert "Traceback" not in runtime.log.read_text()
