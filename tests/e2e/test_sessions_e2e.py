"""Ended sessions over HTTP against the local runtime (spec §4, §9): what a user on two devices, and
someone holding an old token, actually see. Every refusal is the gateway's or the functions' 401 with
the spec's error body."""

from __future__ import annotations

import httpx

from tests.e2e.test_accounts_e2e import PASSWORD, User, new_user

# The longest a container may keep serving an ended session (twtc_core.accounts.sessions.SessionGate).
STATED_DELAY_SECONDS = 30
ACCESS_TOKEN_SECONDS = 15 * 60


def log_in(api: httpx.Client, user: User, device_id: str) -> httpx.Response:
    body = {"username": user.email, "password": PASSWORD, "device_id": device_id}
    response = api.post("/v1/auth/login", json=body, headers=user.headers)
    assert response.status_code == 200, response.text
    return response


def bearer(token: str, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **user.headers}


def every_route(api: httpx.Client, headers: dict[str, str]) -> list[tuple[int, str]]:
    answers = [
        api.get("/v1/wallet", headers=headers),
        api.patch("/v1/me", json={"name": "Not Me"}, headers=headers),
        api.get("/v1/me/export", headers=headers),
        api.delete("/v1/me", headers=headers),
    ]
    return [(answer.status_code, answer.json()["error"]["code"]) for answer in answers]


def advance(api: httpx.Client, seconds: int) -> None:
    assert api.post("/_local/clock", json={"advance_seconds": seconds}).status_code == 200


def test_a_new_device_login_ends_the_old_devices_token_within_the_stated_delay(api: httpx.Client) -> None:
    # Given Asha using the app on her phone
    asha = new_user(api, "two-devices")
    phone = bearer(asha.token, asha)
    assert api.get("/v1/wallet", headers=phone).status_code == 200
    # When she logs in on a new laptop, and the stated delay passes on the local clock
    laptop = bearer(log_in(api, asha, "e2e-new-laptop-0001").json()["access_token"], asha)
    advance(api, STATED_DELAY_SECONDS)
    # Then the phone's token opens nothing, not even the erasure
    assert every_route(api, phone) == [(401, "session_ended")] * 4
    # And the laptop keeps working, on an account nobody changed
    me = api.get("/v1/me", headers=laptop)
    assert me.status_code == 200 and me.json()["name"] == "Erin Example"
    assert api.get("/v1/wallet", headers=laptop).json()["balance"] == 1_000


def test_an_erased_users_token_is_refused(api: httpx.Client) -> None:
    # Given a user who erases their account right after logging in
    user = new_user(api, "erased")
    assert api.delete("/v1/me", headers=user.auth).status_code == 204
    # Then the same token is refused on every route
    assert every_route(api, user.auth) == [(401, "session_ended")] * 4


def test_an_id_token_is_refused_on_every_route(api: httpx.Client) -> None:
    # Given the id token a login hands out beside the access token
    user = new_user(api, "id-token")
    id_token = log_in(api, user, user.device_id).json()["id_token"]
    # Then the gateway takes it nowhere
    headers = bearer(id_token, user)
    statuses = {
        api.get("/v1/wallet", headers=headers).status_code,
        api.get("/v1/me", headers=headers).status_code,
        api.get("/v1/referrals", headers=headers).status_code,
        api.delete("/v1/me", headers=headers).status_code,
    }
    assert statuses == {401}
    assert api.get("/v1/me", headers=user.auth).status_code == 200  # the account is intact


def test_access_tokens_live_fifteen_minutes_on_the_local_clock(api: httpx.Client) -> None:
    # Given a fresh access token
    user = new_user(api, "expiry")
    # When 15 minutes pass on the local clock
    advance(api, ACCESS_TOKEN_SECONDS)
    # Then it has expired, and a refreshed one works
    expired = api.get("/v1/wallet", headers=user.auth)
    assert (expired.status_code, expired.json()["error"]["message"]) == (401, "The access token has expired.")
    refreshed = api.post("/v1/auth/refresh", json={"refresh_token": _refresh_token(api, user)})
    assert refreshed.status_code == 200
    assert api.get("/v1/wallet", headers=bearer(refreshed.json()["access_token"], user)).status_code == 200


def _refresh_token(api: httpx.Client, user: User) -> str:
    return str(log_in(api, user, user.device_id).json()["refresh_token"])


def test_a_401_never_echoes_the_token_decoder(api: httpx.Client) -> None:
    answer = api.get("/v1/wallet", headers={"Authorization": b"Bearer \xff\xfe.e30.x"})
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "The access token is not valid."


def test_refresh_tokens_live_seven_days_on_the_local_clock(api: httpx.Client) -> None:
    # Given a login's refresh token, good for the pool's 7 days
    user = new_user(api, "refresh-expiry")
    refresh_token = _refresh_token(api, user)
    advance(api, 7 * 24 * 3600 - 60)
    assert api.post("/v1/auth/refresh", json={"refresh_token": refresh_token}).status_code == 200
    # When the seven days are over
    advance(api, 60)
    # Then it no longer gives out tokens
    expired = api.post("/v1/auth/refresh", json={"refresh_token": refresh_token})
    assert (expired.status_code, expired.json()["error"]["code"]) == (401, "invalid_credentials")
