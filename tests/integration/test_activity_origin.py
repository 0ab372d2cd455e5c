"""Every logged action carries where it came from (spec §9): IP, CloudFront's viewer country and
coordinates, user agent, device and session — the facts the fraud rules read."""

from __future__ import annotations

import pytest

from functions.auth.handler import lambda_handler as auth_handler
from local_runtime.outbox import Outbox
from tests.support import accounts
from twtc_core.security import SecurityStore

MUMBAI = {
    "cloudfront-viewer-country": "IN",
    "cloudfront-viewer-latitude": "19.07600",
    "cloudfront-viewer-longitude": "72.87770",
}


def _login_from(account: accounts.Account, headers: dict[str, str]) -> int:
    body = {"username": account.username, "password": accounts.PASSWORD, "device_id": account.device_id}
    status, _, _ = accounts.call(
        auth_handler,
        "http_api_auth_login",
        caller=None,
        body=body,
        headers={**accounts.from_ip("203.0.113.9"), **headers},
    )
    return status


def test_a_login_through_cloudfront_records_the_viewer_location(cognito: Outbox) -> None:
    # Given an account
    account = accounts.open_account(cognito, "traveller@example.com")
    # When it logs in through CloudFront from Mumbai
    assert _login_from(account, MUMBAI) == 200
    # Then the login's activity carries the viewer's address, country, coordinates, device and session
    login = next(item for item in SecurityStore().activity_of(account.user_id) if item.action == "login")
    assert (login.ip, login.country, login.latitude, login.longitude) == (
        "203.0.113.9",
        "IN",
        19.076,
        72.8777,
    )
    assert login.device_id == account.device_id
    assert login.user_agent


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # half a position is no position; a country that is not two letters is none
        (
            {"cloudfront-viewer-latitude": "19.0", "cloudfront-viewer-country": "India"},
            (None, None, None),
        ),
        # coordinates out of range or not numbers are dropped
        ({"cloudfront-viewer-latitude": "91", "cloudfront-viewer-longitude": "10"}, (None, None, None)),
        (
            {"cloudfront-viewer-latitude": "nan", "cloudfront-viewer-longitude": "10"},
            (None, None, None),
        ),
        (
            {
                "cloudfront-viewer-country": "gb",
                "cloudfront-viewer-latitude": "51.5",
                "cloudfront-viewer-longitude": "-0.12",
            },
            ("GB", 51.5, -0.12),
        ),
    ],
)
def test_only_a_whole_trusted_viewer_location_is_recorded(
    cognito: Outbox, headers: dict[str, str], expected: tuple[object, ...]
) -> None:
    # Given an account
    account = accounts.open_account(cognito, "located@example.com")
    # When it logs in with these viewer headers
    assert _login_from(account, headers) == 200
    # Then the recorded location is exactly what can be trusted
    logins = [item for item in SecurityStore().activity_of(account.user_id) if item.action == "login"]
    assert (logins[0].country, logins[0].latitude, logins[0].longitude) == expected
