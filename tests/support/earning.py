"""Earning test helpers: a provisioned user in a chosen mining group, the handlers called with real events,
the clock moved to a group's window, the ledger's mining entries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import boto3

from functions.ads.handler import lambda_handler as ads_handler
from functions.group_window.handler import lambda_handler as group_window_handler
from functions.mining.handler import lambda_handler as mining_handler
from infra_cdk.wiring import CONTENT
from local_runtime.resources import REGION
from local_runtime.seed import content_items
from tests.support.events import FakeLambdaContext, body_of, event, http_event
from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.profiles import ProfileStore
from twtc_core.clock import CLOCK, iso, utc_now
from twtc_core.dynamo import Transaction
from twtc_core.earning import windows
from twtc_core.ledger import Entry, EntryType, Ledger

MINING_AD_SECONDS = 60


def seed_ad_units() -> None:
    table = boto3.resource("dynamodb", region_name=REGION).Table(CONTENT.physical_name)
    with table.batch_writer() as batch:
        for item in content_items():
            if item["pk"] == "AD_UNIT":
                batch.put_item(Item=item)


def provision(user_id: str, group: int) -> None:
    """What provisioning leaves: an active profile in `group` (counted) and an open wallet."""
    writes = Transaction()
    ProfileStore().create_with(
        writes,
        user_id,
        name="Miner",
        email=f"{user_id}@example.com",
        phone=None,
        call_rate=1_000,
        referred_with_code=None,
        signup_device_id=None,
        signup_ip=None,
        email_identity=None,
        created_at=iso(utc_now()),
    )
    assert not writes.commit()
    joins = Transaction()
    ProfileStore().settle_with(joins, user_id, f"CODE{user_id[-6:]}".upper(), group)
    GroupStore().join_with(joins, group, GroupStore().sizes().get(group, 0))
    assert not joins.commit()
    Ledger().open_wallet(user_id)


def move_clock_to_window(group: int) -> datetime:
    """Forward to the group's next slot start; returns it."""
    opens = windows.next_window_at(group, utc_now())
    CLOCK.advance((opens - utc_now()).total_seconds())
    return opens


def call(handler: Any, name: str, caller: str, **kwargs: Any) -> tuple[int, Any]:
    response = handler(http_event(name, caller=caller, **kwargs), FakeLambdaContext())
    return response["statusCode"], body_of(response)


def mining_state(user_id: str) -> tuple[int, Any]:
    return call(mining_handler, "http_api_mining_get", user_id)


def issue_impression(user_id: str, placement: str = "MINING") -> str:
    status, body = call(ads_handler, "http_api_ads_impression_issue", user_id, body={"placement": placement})
    assert status == 201, body
    return str(body["impression_id"])


def complete_impression(user_id: str, impression_id: str) -> tuple[int, Any]:
    path = f"/v1/ads/impressions/{impression_id}/complete"
    request = http_event("http_api_ads_impression_complete", caller=user_id, path=path)
    request["pathParameters"] = {"id": impression_id}
    response = ads_handler(request, FakeLambdaContext())
    return response["statusCode"], body_of(response)


def watched_impression(user_id: str) -> str:
    impression_id = issue_impression(user_id)
    CLOCK.advance(MINING_AD_SECONDS)
    status, body = complete_impression(user_id, impression_id)
    assert status == 200, body
    return impression_id


def start_mining(user_id: str, impression_id: str) -> tuple[int, Any]:
    return call(mining_handler, "http_api_mining_start", user_id, body={"impression_id": impression_id})


def run_group_window(group: int) -> Any:
    return group_window_handler(event("eventbridge_group_window") | {"group": group}, FakeLambdaContext())


def mining_entries(user_id: str) -> list[Entry]:
    return [entry for entry in Ledger().history(user_id, 100, None).items if entry.type == EntryType.MINING]


def after(moment: datetime, **delta: float) -> timedelta:
    """How far to move the clock so that it reads `moment + delta`."""
    return moment + timedelta(**delta) - utc_now()
