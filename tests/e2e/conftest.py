"""The local runtime as a client sees it: `python -m local_runtime` in its own process (its own moto,
clock and handler modules, nothing shared with other tests), on free ports, driven over HTTP/WebSocket.
It also serves its moto (`--aws-port`) so tests can create Cognito users and read queues with boto3."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 20


_viewers = itertools.count(1)


def viewer_address() -> str:
    """A CloudFront viewer address no other client in this test process uses."""
    n = next(_viewers)
    return f"10.{n // 250 % 250}.{n % 250 + 1}.1:443"


@dataclass
class Runtime:
    process: subprocess.Popen[bytes]
    url: str
    aws_endpoint: str
    log: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"

    def client(self) -> httpx.Client:
        """A client presenting its own viewer address (CloudFront's header, passed through by the
        runtime), so the per-IP limit (100 a minute) sees each client apart."""
        return httpx.Client(
            base_url=self.url, timeout=30, headers={"CloudFront-Viewer-Address": viewer_address()}
        )

    def interrupt(self) -> int:
        """Ctrl-C, as a developer would; the exit code (the process is killed if it does not stop)."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def runtime_env() -> dict[str, str]:
    """The environment `make dev` runs the runtime with (its import roots, as Lambda lays them out)."""
    return {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'layers/shared/python'}"}


def start_runtime(log: Path) -> Runtime:
    """The runtime binds free ports itself (port 0, no race with other workers) and writes where it
    serves to a ready file once it accepts connections."""
    ready = log.with_name(f"{log.stem}.ready.json")
    command = [sys.executable, "-m", "local_runtime", "--port", "0", "--aws-port", "0"]
    command += ["--ready-file", str(ready), "--plugin", "tests.e2e.local_plugin"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=runtime_env(), stdout=output, stderr=subprocess.STDOUT
        )
    for _ in range(START_TIMEOUT_SECONDS * 10):
        if ready.exists():
            served = json.loads(ready.read_text())
            return Runtime(process, served["url"], served["aws_endpoint"], log)
        if process.poll() is not None:
            pytest.fail(f"the local runtime exited:\n{log.read_text()}")
        _pause(process)
    process.kill()
    process.wait()
    pytest.fail(f"the local runtime did not start:\n{log.read_text()}")


def _pause(process: subprocess.Popen[bytes]) -> None:
    """Wait for the server to come up (not a test sleep: the runtime is still starting)."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=0.1)


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    started = start_runtime(tmp_path_factory.mktemp("runtime") / "runtime.log")
    yield started
    if started.process.poll() is None:
        started.interrupt()


@pytest.fixture
def api(runtime: Runtime) -> Iterator[httpx.Client]:
    with runtime.client() as client:
        yield client


def device_of(email: str) -> str:
    """The device `registered_user` signs up and logs in from (logging in elsewhere ends its session)."""
    return f"e2e-device-{zlib.crc32(email.encode()) % 250 + 1:04d}"


def registered_user(api: httpx.Client, email: str, password: str = "Correct-Horse-9-Battery") -> str:
    """Sign up, confirm with the code from the outbox and log in, as the app does; the access token.
    Each user comes from its own device and viewer IP (CloudFront's header, passed through), as real
    users would, so per-device and per-IP limits see separate clients."""
    client_number = zlib.crc32(email.encode()) % 250 + 1
    device = {"device_id": device_of(email)}
    viewer = {"CloudFront-Viewer-Address": f"198.51.100.{client_number}:443"}
    signup = api.post(
        "/v1/auth/signup",
        json={"email": email, "password": password, "name": "E2E", **device},
        headers=viewer,
    )
    assert signup.status_code == 201, signup.text
    code = next(
        message["payload"]["code"]
        for message in api.get("/_local/outbox", params={"to": email}).json()["items"]
        if "code" in message["payload"]
    )
    assert api.post("/v1/auth/confirm", json={"username": email, "code": code}).status_code == 200
    # the confirmation queued the account's provisioning: deliver it now rather than wait for the poller
    assert api.post("/_local/queues/provisioning/drain").status_code == 200
    login = api.post(
        "/v1/auth/login", json={"username": email, "password": password, **device}, headers=viewer
    )
    assert login.status_code == 200, login.text
    return str(login.json()["access_token"])
