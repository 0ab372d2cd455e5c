"""AdMob server-side verification: only a callback signed with a current AdMob key confirms the impression
it names, once per AdMob transaction. The keys are served by a (transport-level) stand-in of AdMob's key
server through httpx's own transport hook; the handler is called with real API Gateway events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from functions.admob_ssv import logic
from functions.admob_ssv.handler import lambda_handler
from local_runtime.admob import AdMobSigner
from tests.support.earning import issue_impression, provision, seed_ad_units
from tests.support.events import FakeLambdaContext, body_of, http_event
from twtc_core.earning.admob import AdMobVerifier, BadSignature
from twtc_core.earning.ads import ImpressionNotFound
from twtc_core.earning.impressions import ImpressionStore
from twtc_core.earning.models import Impression

ALICE = "6f1c9a2e-1111-4a5b-9c3d-00000000000a"
KEYS_URL = "https://keys.admob.test/verifier-keys.json"


class KeyServer:
    """AdMob's key server: serves the current signers' keys and counts the fetches."""

    def __init__(self, *signers: AdMobSigner) -> None:
        self.signers = list(signers)
        self.fetches = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == KEYS_URL
        self.fetches += 1
        keys = [key for signer in self.signers for key in signer.verifier_keys()["keys"]]
        return httpx.Response(200, json={"keys": keys})


@pytest.fixture
def google() -> AdMobSigner:
    return AdMobSigner(key_id=3335741209)


@pytest.fixture
def key_server(google: AdMobSigner) -> KeyServer:
    return KeyServer(google)


@pytest.fixture
def verifier(key_server: KeyServer) -> AdMobVerifier:
    return AdMobVerifier(KEYS_URL, client=httpx.Client(transport=httpx.MockTransport(key_server.handle)))


@pytest.fixture
def impression(aws: dict[str, str], clock: Any) -> Impression:
    seed_ad_units()
    provision(ALICE, 3)
    found = ImpressionStore().get(issue_impression(ALICE))
    assert found is not None
    return found


def confirmed(impression: Impression) -> bool:
    current = ImpressionStore().get(impression.impression_id)
    return current is not None and current.network_confirmed


def test_a_signed_callback_confirms_its_impression_once(
    google: AdMobSigner, verifier: AdMobVerifier, key_server: KeyServer, impression: Impression
) -> None:
    query = google.reward_query(impression, "18fa792de1bca816048293fc71035638", 1795597260000)
    outcome = logic.confirm_reward(verifier, ImpressionStore(), query)
    assert (outcome.outcome, confirmed(impression)) == ("CONFIRMED", True)
    # Replayed: the same transaction changes nothing more; the keys were fetched once and cached
    assert logic.confirm_reward(verifier, ImpressionStore(), query).outcome == "ALREADY_APPLIED"
    assert key_server.fetches == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda q: q.replace("reward_amount=1", "reward_amount=9"),
        lambda q: q.replace("custom_data=", "custom_data=X"),
        lambda q: q.replace("&key_id=", "&extra=1&key_id="),
        lambda q: q.split("&signature=")[0],
        lambda q: q.replace("&signature=", "&signature=AAAA"),
    ],
    ids=["altered-value", "altered-impression", "parameter-after-signature", "unsigned", "bad-signature"],
)
def test_a_tampered_or_unsigned_callback_changes_nothing(
    google: AdMobSigner, verifier: AdMobVerifier, impression: Impression, tamper: Any
) -> None:
    query = tamper(google.reward_query(impression, "tx-1", 1795597260000))
    with pytest.raises(BadSignature):
        logic.confirm_reward(verifier, ImpressionStore(), query)
    assert not confirmed(impression)


def test_a_key_not_served_by_admob_is_refused_and_a_rotated_key_is_fetched(
    google: AdMobSigner, verifier: AdMobVerifier, key_server: KeyServer, impression: Impression, clock: Any
) -> None:
    forger = AdMobSigner(key_id=42)
    with pytest.raises(BadSignature):
        logic.confirm_reward(verifier, ImpressionStore(), forger.reward_query(impression, "tx-1", 1))
    # A forged key id does not make every callback a fetch: at most one a minute
    with pytest.raises(BadSignature):
        logic.confirm_reward(verifier, ImpressionStore(), forger.reward_query(impression, "tx-1", 1))
    assert key_server.fetches == 1 and not confirmed(impression)
    # When AdMob rotates to a new key, a callback naming it fetches the keys again and verifies
    rotated = AdMobSigner(key_id=7)
    key_server.signers.append(rotated)
    clock.advance(60)
    logic.confirm_reward(verifier, ImpressionStore(), rotated.reward_query(impression, "tx-2", 2))
    assert key_server.fetches == 2 and confirmed(impression)


def test_a_callback_for_another_users_impression_changes_nothing(
    google: AdMobSigner, verifier: AdMobVerifier, impression: Impression
) -> None:
    query = google.reward_query(impression, "tx-1", 1).replace(ALICE, "someone-else")
    with pytest.raises(BadSignature):  # the user id is part of what is signed
        logic.confirm_reward(verifier, ImpressionStore(), query)
    # Signed by AdMob for a user id our app never gave it with that impression
    other = google.sign(
        google.reward_query(impression, "tx-1", 1).split("&signature=")[0].replace(ALICE, "someone-else")
    )
    with pytest.raises(ImpressionNotFound):
        logic.confirm_reward(verifier, ImpressionStore(), other)
    assert not confirmed(impression)


def test_the_public_route_refuses_an_unsigned_callback_with_403(aws: dict[str, str]) -> None:
    request = http_event("http_api_admob_ssv", caller=None)
    request["rawQueryString"] = request["rawQueryString"].split("&signature=")[0]
    response = lambda_handler(request, FakeLambdaContext())
    assert response["statusCode"] == 403
    assert body_of(response)["error"]["code"] == "invalid_signature"
