"""Users as the e2e tests drive them over HTTP: each signed up, confirmed with the emailed code and logged
in from its own device and its own viewer network, so per-device and per-IP limits see them apart."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "Correct-Horse-9-Battery"
_networks = itertools.count(1)


@dataclass(frozen=True)
class User:
    email: str
    device_id: str
    headers: dict[str, str]  # the viewer's address
    user_id: str
    token: str = ""

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **self.headers}


def viewer() -> dict[str, str]:
    """A viewer on a network (/24) no other test uses."""
    return {"CloudFront-Viewer-Address": f"100.64.{next(_networks)}.10:443"}


def device_of(email: str) -> str:
    return "e2e-" + email.replace("@", "-")


def sign_up(api: httpx.Client, email: str, headers: dict[str, str], **extra: Any) -> httpx.Response:
    body = {"email": email, "password": PASSWORD, "name": "Erin Example", "device_id": device_of(email)}
    return api.post("/v1/auth/signup", json=body | extra, headers=headers)


def code_sent_to(api: httpx.Client, email: str) -> str:
    messages = api.get("/_local/outbox", params={"to": email}).json()["items"]
    return str(next(m["payload"]["code"] for m in reversed(messages) if "code" in m["payload"]))


def new_user(api: httpx.Client, prefix: str, **extra: Any) -> User:
    """Signed up, confirmed with the emailed code and logged in."""
    email, headers = f"{prefix}-{uuid.uuid4().hex[:8]}@example.com", viewer()
    created = sign_up(api, email, headers, **extra)
    assert created.status_code == 201, created.text
    confirmed = api.post("/v1/auth/confirm", json={"username": email, "code": code_sent_to(api, email)})
    assert confirmed.status_code == 200, confirmed.text
    assert api.post("/_local/queues/provisioning/drain").status_code == 200  # the queued provisioning
    device_id = device_of(email)
    login = api.post(
        "/v1/auth/login",
        json={"username": email, "password": PASSWORD, "device_id": device_id},
        headers=headers,
    )
    assert login.status_code == 200, login.text
    return User(email, device_id, headers, created.json()["user_id"], login.json()["access_token"])
