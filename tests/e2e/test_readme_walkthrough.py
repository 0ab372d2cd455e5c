"""The README's five-minute walkthrough, run literally (the ```sh walkthrough block, through bash and curl)
against the local runtime: what a new developer pastes must work. Its users (Mei, and Kofi as a host) are
none of the models' examples, which the contract test sends to the same runtime."""

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

    # Then every step answered without an error: the wallet holds the sign-up bonus, then the task's reward
    assert run.returncode == 0, run.stdout + run.stderr
    answers = answers_in(run.stdout)
    assert [answer for answer in answers if "error" in answer] == []
    (signed_up, confirmed, drained, me, wallet, mining, started, clock, completed, rewarded) = answers[:10]
    (host_signed_up, host_confirmed, host_drained, call) = answers[10:]
    # (the queue's poller may deliver the provisioning before the drain does: only a failure would be wrong)
    for sign_up, confirmation, drain in [
        (signed_up, confirmed, drained),
        (host_signed_up, host_confirmed, host_drained),
    ]:
        assert sign_up["confirmation_required"] and confirmation == {"confirmed": True}
        assert drain["failed"] == 0
    assert me["email"] == "mei@example.com"
    assert wallet["balance"] == wallet["available"] == 1000
    assert (mining["group"], mining["session"]) == (me["group"], None)
    assert (started["task"]["type"], started["task"]["status"]) == ("CONTENT", "STARTED")
    assert started["content"]["body"]
    assert "now" in clock
    assert completed["task"]["status"] == "COMPLETED"
    assert completed["credited"] == started["task"]["reward"] > 0
    assert rewarded["balance"] == rewarded["available"] == 1000 + completed["credited"]
    # and the call to the host, who holds no WebSocket connection, is refused in Twilio's terms
    assert call["status"] == "rejected"
    assert "<Say>The person you are calling is not available.</Say>" in call["twiml"]
