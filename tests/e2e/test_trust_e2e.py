"""The anti-fraud engine over HTTP against the local runtime (spec §9): findings arrive through the
security table's stream, moderators review them, CAPTCHA lifts level 3, level 4 locks the user out of
every route, the login and the WebSocket."""

from __future__ import annotations

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from local_runtime.captcha import PASSING_TOKEN
from tests.e2e.conftest import Runtime
from tests.e2e.test_sessions_e2e import every_route
from tests.support.e2e_clock import advance
from tests.support.e2e_trust import evaluate, events_of, in_group, log_in
from tests.support.e2e_users import new_user

MUMBAI = {"CloudFront-Viewer-Latitude": "19.0760", "CloudFront-Viewer-Longitude": "72.8777"}
LONDON = {"CloudFront-Viewer-Latitude": "51.5072", "CloudFront-Viewer-Longitude": "-0.1276"}
GATE_CACHE_SECONDS = 30


def test_travel_farm_review_captcha_and_suspension(runtime: Runtime, api: httpx.Client) -> None:
    # Given a moderator and an admin
    moderator = in_group(runtime, api, new_user(api, "moderator"), "moderator")
    admin = in_group(runtime, api, new_user(api, "admin"), "admin")
    # When a user logs in from Mumbai, then from London 10 minutes later
    traveller = new_user(api, "traveller")
    assert log_in(api, traveller, MUMBAI).status_code == 200
    advance(api, 600)
    token = log_in(api, traveller, LONDON).json()["access_token"]
    evaluate(api)
    # Then the moderator finds an impossible-travel event (HIGH); a plain user may not look
    [travel] = events_of(api, moderator, traveller, "IMPOSSIBLE_TRAVEL")
    assert travel["severity"] == "HIGH"
    user = {"Authorization": f"Bearer {token}", **traveller.headers}
    assert api.get("/v1/admin/fraud-events", headers=user).status_code == 403
    # When the moderator dismisses the travel event and requires a CAPTCHA
    dismissed = api.post(
        f"/v1/admin/fraud-events/{travel['event_id']}/resolve",
        json={"action": "dismiss", "note": "VPN exit node."},
        headers=moderator,
    )
    assert dismissed.json()["status"] == "DISMISSED"
    level = {"level": 3, "note": "Check a human is there."}
    required = api.post(f"/v1/admin/users/{traveller.user_id}/alert-level", json=level, headers=moderator)
    assert required.json()["alert_level"] == 3
    # Then another token fails the CAPTCHA; the test token passes it (level 1: score in the normal band)
    wrong = api.post("/v1/captcha/verify", json={"token": "not-the-test-token"}, headers=user)
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (403, "captcha_failed")
    passed = api.post("/v1/captcha/verify", json={"token": PASSING_TOKEN}, headers=user)
    assert passed.json() == {"alert_level": 1, "captcha_required": False}
    # When the admin suspends the user (and the functions' 30 s session cache passes)
    suspend = {"level": 4, "note": "Account farm."}
    assert (
        api.post(f"/v1/admin/users/{traveller.user_id}/alert-level", json=suspend, headers=admin).status_code
        == 200
    )
    advance(api, GATE_CACHE_SECONDS)
    # Then every route, the login and the WebSocket refuse them
    assert every_route(api, user) == [(403, "account_suspended")] * 4
    refused = log_in(api, traveller)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "account_suspended")
    with pytest.raises(InvalidStatus), connect(f"{runtime.ws_url}?token={token}"):
        pass
