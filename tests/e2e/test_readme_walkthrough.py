"""The README's five-minute walkthrough, run literally (the ```sh walkthrough block, through bash and curl)
against the local runtime: what a new developer pastes must work. Its user is none of the models' examples,
which the contract test sends to the same runtime."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ROOT, Runtime, viewer_address

WALKTHROUGH = re.compile(r"^```sh walkthrough\n(.*?)^```$", re.DOTALL | re.MULTILINE)
TIMEOUT_SECONDS = 120


def answers_in(output: str) -> list[dict[str, Any]]:
    """The JSON documents curl printed back to back (its answers end without a newline)."""
    decoder, answers, rest = json.JSONDecoder(), [], output.strip()
    while rest:
        answer, end = decoder.raw_decode(rest)
        answers.append(answer)
        rest = rest[end:].lstrip()
    return answers


def walkthrough() -> str:
    (block,) = WALKTHROUGH.findall((ROOT / "README.md").read_text())
    return str(block)


def test_the_readme_walkthrough_runs_as_written(runtime: Runtime, tmp_path: Path) -> None:
    # Given a shell whose curl presents its own viewer address (a ~/.curlrc the README need not mention),
    # so the walkthrough's requests count as one client of their own
    assert shutil.which("curl"), "the walkthrough needs curl"
    (tmp_path / ".curlrc").write_text(f'header = "CloudFront-Viewer-Address: {viewer_address()}"\n')
    environment = {**os.environ, "HOME": str(tmp_path), "API": runtime.url}

    # When the block runs as written, stopping at the first failing command
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough()],
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    # Then every step answered without an error, and the wallet holds the sign-up bonus
    assert run.returncode == 0, run.stdout + run.stderr
    answers = answers_in(run.stdout)
    assert [answer for answer in answers if "error" in answer] == []
    signed_up, confirmed, drained, me, wallet = answers
    assert signed_up["confirmation_required"] and confirmed == {"confirmed": True}
    assert drained["succeeded"] >= 1 and drained["failed"] == 0
    assert me["email"] == "mei@example.com"
    assert wallet["balance"] == wallet["available"] == 1000
