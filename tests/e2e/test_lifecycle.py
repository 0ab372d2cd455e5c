"""`make dev` starts only where it can listen, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ROOT, runtime_env, start_runtime


def test_ctrl_c_stops_the_runtime_cleanly(tmp_path: Path) -> None:
    runtime = start_runtime(tmp_path / "runtime.log")
    assert runtime.interrupt() == 0
    assert "Traceback" not in runtime.log.read_text()


def test_a_taken_port_is_a_one_line_error_without_the_banner() -> None:
    # Given a port something else listens on
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        # When the runtime is started on it
        finished = subprocess.run(
            [sys.executable, "-m", "local_runtime", "--port", port],
            cwd=ROOT,
            env=runtime_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    # Then it says so in one line and exits non-zero, announcing nothing
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use (choose another with --port)"
    ]
