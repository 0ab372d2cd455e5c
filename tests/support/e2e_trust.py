"""The anti-fraud engine as the e2e tests drive it over HTTP: users in Cognito groups, the evaluator run
to the end of its stream, the review queue read to its last page."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import boto3
import httpx

from tests.e2e.conftest import Runtime
from tests.support.e2e_users import PASSWORD, User, new_user


def log_in(api: httpx.Client, user: User, extra_headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"username": user.email, "password": PASSWORD, "device_id": user.device_id}
    return api.post("/v1/auth/login", json=body, headers={**user.headers, **(extra_headers or {})})


def in_group(runtime: Runtime, api: httpx.Client, user: User, group: str) -> dict[str, str]:
    """The user added to a Cognito group, logged in again (the new token carries the group)."""
    cognito: Any = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=runtime.aws_endpoint)
    [pool] = cognito.list_user_pools(MaxResults=10)["UserPools"]
    cognito.admin_add_user_to_group(UserPoolId=pool["Id"], Username=user.user_id, GroupName=group)
    token = log_in(api, user).json()["access_token"]
    return {"Authorization": f"Bearer {token}", **user.headers}


def evaluate(api: httpx.Client) -> None:
    """Run the fraud evaluator over everything the security table's stream holds."""
    assert api.post("/_local/streams/fraud_evaluator/drain").json()["failed"] == 0


def events_of(
    api: httpx.Client, reviewer: dict[str, str], user: User, fraud_type: str, status: str = "OPEN"
) -> list[dict[str, Any]]:
    """The user's events of the type in the review queue, every page read (other tests share it)."""
    found: list[dict[str, Any]] = []
    params: dict[str, str] = {"status": status}
    while True:
        page = api.get("/v1/admin/fraud-events", params=params, headers=reviewer)
        assert page.status_code == 200, page.text
        found += [
            event
            for event in page.json()["items"]
            if (event["user_id"], event["type"]) == (user.user_id, fraud_type)
        ]
        if not page.json()["next_cursor"]:
            return found
        params["cursor"] = page.json()["next_cursor"]


def device_farmer(api: httpx.Client, prefix: str) -> User:
    """Four accounts signed up on one device, the fourth logged in there: the evaluator, run to the end of
    its stream, has filed a MULTI_ACCOUNT event (HIGH) for that fourth account."""
    device = f"{prefix}-{uuid.uuid4().hex[:8]}"
    farm = [new_user(api, prefix, device_id=device) for _ in range(4)]
    farmer = replace(farm[3], device_id=device)
    assert log_in(api, farmer).status_code == 200
    evaluate(api)
    return farmer
