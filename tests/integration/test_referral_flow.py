"""Confirmation and referral rewards through the real handlers: Cognito (moto + the trigger emulation),
the PostConfirmation trigger, the referral queue and its worker (SQS event shape, partial failures)."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from functions.post_confirmation import handler as post_confirmation_function
from functions.post_confirmation.handler import lambda_handler as post_confirmation
from functions.pre_signup.handler import lambda_handler as pre_signup
from functions.profile.handler import lambda_handler as profile_handler
from functions.provisioning_worker import handler as provisioning_worker
from functions.provisioning_worker import logic as provisioning
from functions.provisioning_worker.models import ConfirmedUser
from functions.referral_worker import handler as worker
from local_runtime.outbox import Outbox
from tests.support.accounts import (
    PASSWORD,
    Account,
    call,
    claims_of,
    confirm,
    default_device,
    log_in,
    open_account,
    provisioning_message,
    queued_messages,
    referral_code_of,
    reward_message,
    run_provisioning,
    run_provisioning_of,
    run_worker,
    sign_up,
)
from tests.support.cognito import app_client_secret_hash
from tests.support.events import FakeLambdaContext, event
from tests.support.faults import dynamodb_fails_once, transaction_fails_once
from twtc_core.accounts.stores._table import user_key
from twtc_core.accounts.stores.groups import GroupStore
from twtc_core.accounts.stores.profiles import ProfileStore, _ProfileItem
from twtc_core.accounts.stores.referrals import ReferralStore, _ReferralDayItem
from twtc_core.clock import utc_day
from twtc_core.ledger import EntryType, Ledger, WalletNotFound
from twtc_core.ledger.reconcile import reconcile
from twtc_core.ledger.store import WalletItem
from twtc_core.security import SecurityStore
from twtc_core.stats import Metric, StatsStore

SIGNUP_BONUS, REFERRER_REWARD, REFEREE_REWARD = 1_000, 10_000, 5_000


def entries(user_id: str, entry_type: EntryType) -> list[str]:
    page = Ledger().history(user_id, 100, None)
    return [entry.id for entry in page.items if entry.type is entry_type]


def status_of(referral_id: str) -> str:
    referral = ReferralStore().get(referral_id)
    assert referral is not None
    return referral.status


@pytest.fixture
def asha(cognito: Outbox) -> Account:
    return open_account(cognito, "asha@example.com", ip="198.51.100.23")


def refer(cognito: Outbox, referrer: Account, email: str, ip: str = "203.0.113.50") -> Account:
    return open_account(cognito, email, ip=ip, referral_code=referral_code_of(referrer.user_id))


# --- provisioning --------------------------------------------------------------------------------
def test_confirmation_provisions_profile_code_group_wallet_and_bonus(asha: Account) -> None:
    profile = ProfileStore().get(asha.user_id)

    assert profile is not None and profile.email == "asha@example.com" and profile.group == 1
    assert profile.kyc_status == "NOT_STARTED" and profile.accepts_calls is False
    assert entries(asha.user_id, EntryType.SIGNUP_BONUS) == [f"signup:{asha.user_id}"]
    assert Ledger().get_wallet(asha.user_id).balance == SIGNUP_BONUS
    assert queued_messages() == []  # not referred


def test_the_worker_provisions_once_however_often_the_request_is_delivered(
    cognito: Outbox, asha: Account
) -> None:
    # Given B signed up with A's code; the provisioning request is delivered again, also concurrently
    bala = refer(cognito, asha, "bala@example.net")
    requests = [provisioning_message(bala.user_id, copy) for copy in range(6)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda message: run_provisioning_of([message]), requests))

    # Then one profile, code, group membership, bonus and referral
    assert sum(GroupStore().sizes().values()) == 2
    assert entries(bala.user_id, EntryType.SIGNUP_BONUS) == [f"signup:{bala.user_id}"]
    assert Ledger().get_wallet(bala.user_id).balance == SIGNUP_BONUS
    assert [r.referee_id for r in ReferralStore().referrals_of(asha.user_id)] == [bala.user_id]
    # and however many reward requests were sent, one reward
    run_worker(queued_messages())
    assert entries(asha.user_id, EntryType.REFERRAL) == [f"referral:{bala.user_id}:referrer"]


def test_concurrent_provisionings_fill_the_least_populated_groups(aws: dict[str, str]) -> None:
    def provision_new_user(number: int) -> None:
        user_id = f"00000000-0000-4000-8000-{number:012d}"
        provisioning.provision(
            provisioning_worker.services, ConfirmedUser(user_id=user_id, email=f"user{number}@example.com")
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(provision_new_user, range(25)))

    sizes = GroupStore().sizes()
    assert sorted(sizes) == list(range(1, 11))
    assert sum(sizes.values()) == 25 and max(sizes.values()) - min(sizes.values()) <= 1


def test_an_admin_confirmation_provisions_too(cognito: Outbox) -> None:
    _, body, _ = sign_up("dev@example.com")
    boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"]).admin_confirm_sign_up(
        UserPoolId=os.environ["USER_POOL_ID"], Username="dev@example.com"
    )
    assert run_provisioning() == {"batchItemFailures": []}
    assert Ledger().get_wallet(body["user_id"]).balance == SIGNUP_BONUS


@pytest.mark.parametrize(
    ("trigger_source", "requests"),
    [("PostConfirmation_ConfirmSignUp", 1), ("PostConfirmation_ConfirmForgotPassword", 0)],
)
def test_the_trigger_only_queues_the_provisioning_of_a_confirmed_sign_up(
    aws: dict[str, str], trigger_source: str, requests: int
) -> None:
    # When Cognito runs PostConfirmation
    trigger = event("cognito_post_confirmation") | {"triggerSource": trigger_source}
    assert post_confirmation(trigger, FakeLambdaContext()) == trigger

    # Then a sign-up (not a password reset) is queued for provisioning, and nothing else is written
    queued = queued_messages("PROVISIONING_QUEUE_URL")
    assert [json.loads(message["Body"]) for message in queued] == [
        {"user_id": trigger["userName"]}
    ] * requests
    assert ProfileStore().get(trigger["userName"]) is None


def test_a_referral_code_is_never_claimable_before_its_owners_wallet_exists(cognito: Outbox) -> None:
    # Given a confirmed sign-up whose provisioning fails opening the wallet (the transaction that also
    # puts the profile)
    _, body, _ = sign_up("dev@example.com")
    user_id = body["user_id"]
    assert confirm(cognito, "dev@example.com")[0] == 200
    message = queued_messages("PROVISIONING_QUEUE_URL")
    with transaction_fails_once():
        failed = run_provisioning_of(message)
    assert failed == {"batchItemFailures": [{"itemIdentifier": message[0]["MessageId"]}]}

    # Then the user holds no referral code anyone could sign up with: not even a profile was written
    assert ProfileStore().get(user_id) is None
    with pytest.raises(WalletNotFound):
        Ledger().get_wallet(user_id)

    # And when SQS delivers the request again the account is complete
    assert run_provisioning() == {"batchItemFailures": []}
    assert referral_code_of(user_id) and Ledger().get_wallet(user_id).balance == SIGNUP_BONUS


def test_a_user_whose_trigger_failed_is_provisioned_on_first_use(
    cognito: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Dev's confirmation succeeded in Cognito but the PostConfirmation trigger failed before queueing
    _, body, _ = sign_up("dev@example.com")
    user_id = body["user_id"]

    def queue_unavailable(user_id: str) -> None:
        raise ConnectionError("SQS unreachable")

    monkeypatch.setattr(post_confirmation_function.queue, "request_provisioning", queue_unavailable)
    confirm(cognito, "dev@example.com")
    monkeypatch.undo()
    assert ProfileStore().get(user_id) is None and queued_messages("PROVISIONING_QUEUE_URL") == []

    # When Dev logs in (Cognito has confirmed him) and opens the app
    status, tokens, _ = log_in("dev@example.com", default_device("dev@example.com"))
    assert status == 200
    dev = claims_of(tokens["access_token"])
    status, error, _ = call(profile_handler, "http_api_me_get", caller=None, claims=dev)

    # Then he is told his account is being set up, and its provisioning is requested again
    assert (status, error["error"]["code"]) == (409, "account_being_set_up")
    assert run_provisioning() == {"batchItemFailures": []}

    # And from then on the account is complete, with its bonus, and the ledger reconciles
    status, profile, _ = call(profile_handler, "http_api_me_get", caller=None, claims=dev)
    assert status == 200 and profile["referral_code"] and profile["group"] == 1
    assert Ledger().get_wallet(user_id).balance == SIGNUP_BONUS
    assert reconcile().ok


def test_a_provisioning_request_for_a_user_erased_meanwhile_opens_nothing(aws: dict[str, str]) -> None:
    assert run_provisioning_of([provisioning_message("6f1c9a2e-2222-4a5b-9c3d-000000000001")]) == {
        "batchItemFailures": []
    }
    assert ProfileStore().get("6f1c9a2e-2222-4a5b-9c3d-000000000001") is None


# --- PreSignUp for sign-ups that bypass the API --------------------------------------------------
@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"email": "x@mailinator.com"}, "Disposable email addresses cannot be used."),
        ({"email": "x@example.com", "custom:referral_code": "ZZZZ2222"}, "No such referral code."),
    ],
)
def test_a_direct_cognito_sign_up_is_checked_by_the_pre_sign_up_trigger(
    cognito: Outbox, attributes: dict[str, str], message: str
) -> None:
    # Given the attributes our API would send (device and IP), with the parametrized ones over them
    attributes = {"custom:device_id": "device-x-0001", "custom:signup_ip": "203.0.113.9"} | attributes
    client = boto3.client("cognito-idp", region_name=os.environ["AWS_REGION"])
    with pytest.raises(ClientError) as refused:
        client.sign_up(
            ClientId=os.environ["USER_POOL_CLIENT_ID"],
            Username=attributes["email"],
            Password=PASSWORD,
            SecretHash=app_client_secret_hash(attributes["email"]),
            UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items()],
        )
    assert refused.value.response["Error"] == {
        "Code": "UserLambdaValidationException",
        "Message": f"PreSignUp failed with error {message}.",
    }
    assert client.list_users(UserPoolId=os.environ["USER_POOL_ID"])["Users"] == []


def test_the_pre_sign_up_trigger_accepts_a_valid_code(asha: Account) -> None:
    trigger = event("cognito_pre_signup")
    trigger["request"]["userAttributes"]["custom:referral_code"] = referral_code_of(asha.user_id)
    assert pre_signup(trigger, FakeLambdaContext()) == trigger


# --- rewards -------------------------------------------------------------------------------------
def test_a_referral_rewards_referrer_and_referee_exactly_once(cognito: Outbox, asha: Account) -> None:
    # Given B signed up with A's code and confirmed
    bala = refer(cognito, asha, "bala@example.net")

    # When the queue is drained
    messages = queued_messages()
    assert len(messages) == 1 and json.loads(messages[0]["Body"]) == {"referral_id": bala.user_id}
    assert run_worker(messages) == {"batchItemFailures": []}

    # Then each holds exactly one REFERRAL entry
    assert entries(asha.user_id, EntryType.REFERRAL) == [f"referral:{bala.user_id}:referrer"]
    assert entries(bala.user_id, EntryType.REFERRAL) == [f"referral:{bala.user_id}:referee"]
    assert status_of(bala.user_id) == "REWARDED"

    # And the same message delivered 5 more times, one after another and concurrently, changes nothing
    for _ in range(5):
        assert run_worker(messages) == {"batchItemFailures": []}
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(lambda _: run_worker(messages), range(5)))
    assert results == [{"batchItemFailures": []}] * 5
    assert Ledger().get_wallet(asha.user_id).balance == SIGNUP_BONUS + REFERRER_REWARD
    assert Ledger().get_wallet(bala.user_id).balance == SIGNUP_BONUS + REFEREE_REWARD
    assert ProfileStore().get(asha.user_id).referrals_rewarded == 1
    assert reconcile().ok
    # And the day's stats count both rewards' coins once
    referral_coins = StatsStore().live(utc_day()).get(Metric.coins(EntryType.REFERRAL))
    assert referral_coins == REFERRER_REWARD + REFEREE_REWARD


def test_a_redelivery_credits_the_amounts_fixed_when_the_referral_was_rewarded(
    cognito: Outbox, asha: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given B's referral was rewarded, but crediting it failed (the ledger could not read a wallet)
    bala = refer(cognito, asha, "bala@example.net")
    messages = queued_messages()
    with dynamodb_fails_once(WalletItem, "GetItem"):
        assert run_worker(messages)["batchItemFailures"] != []
    assert status_of(bala.user_id) == "REWARDED" and entries(asha.user_id, EntryType.REFERRAL) == []

    # When the rewards change before SQS delivers the message again
    new_rules = replace(worker.services.rules, referrer_reward=20_000, referee_reward=9_000)
    monkeypatch.setattr(worker, "services", replace(worker.services, rules=new_rules))
    assert run_worker(messages) == {"batchItemFailures": []}

    # Then both are credited what the referral was rewarded with, which A's referral totals count
    assert Ledger().get_wallet(asha.user_id).balance == SIGNUP_BONUS + REFERRER_REWARD
    assert Ledger().get_wallet(bala.user_id).balance == SIGNUP_BONUS + REFEREE_REWARD
    referrer = ProfileStore().get(asha.user_id)
    assert referrer is not None and referrer.referral_rewards_earned == REFERRER_REWARD
    assert reconcile().ok


def test_first_deliveries_racing_each_other_reward_once(cognito: Outbox, asha: Account) -> None:
    bala = refer(cognito, asha, "bala@example.net")
    messages = queued_messages()

    with ThreadPoolExecutor(max_workers=5) as pool:
        list(pool.map(lambda _: run_worker(messages), range(5)))

    assert entries(asha.user_id, EntryType.REFERRAL) == [f"referral:{bala.user_id}:referrer"]
    assert ProfileStore().get(asha.user_id).referrals_rewarded == 1
    assert ReferralStore().rewarded_on(asha.user_id, "2026-11-25") == 1


def test_a_poison_message_fails_alone(cognito: Outbox, asha: Account) -> None:
    bala = refer(cognito, asha, "bala@example.net")
    good = queued_messages()[0]
    malformed = reward_message("x") | {"MessageId": "malformed", "Body": "{not json"}
    unknown = reward_message("no-such-referral") | {"MessageId": "unknown"}

    result = run_worker([malformed, good, unknown])

    assert result == {"batchItemFailures": [{"itemIdentifier": "malformed"}, {"itemIdentifier": "unknown"}]}
    assert entries(bala.user_id, EntryType.REFERRAL) == [f"referral:{bala.user_id}:referee"]


def test_a_poison_message_reaches_the_dlq_after_5_receives(cognito: Outbox, asha: Account) -> None:
    # Given a good and a poison message on the real queue (redrive: DLQ after 5 receives)
    sqs = boto3.client("sqs", region_name=os.environ["AWS_REGION"])
    queue_url = os.environ["REFERRAL_REWARDS_QUEUE_URL"]
    bala = refer(cognito, asha, "bala@example.net")
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"referral_id": "no-such-referral"}))

    # When the queue is polled like Lambda's event source mapping does
    for _ in range(7):
        messages = queued_messages()
        if not messages:
            break
        failed = {failure["itemIdentifier"] for failure in run_worker(messages)["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    # Then the good one was processed and the poison one sits in the DLQ
    dlq_url = sqs.get_queue_url(QueueName="twtc-referral_rewards-dlq")["QueueUrl"]
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"]) for m in dead] == [{"referral_id": "no-such-referral"}]
    assert queued_messages() == []
    assert entries(asha.user_id, EntryType.REFERRAL) == [f"referral:{bala.user_id}:referrer"]


@pytest.mark.parametrize("cap", ["daily", "lifetime"])
def test_over_the_cap_the_referral_is_capped_not_rewarded(cognito: Outbox, asha: Account, cap: str) -> None:
    # Given B signed up while A had room, and A reached the cap before the reward ran
    bala = refer(cognito, asha, "bala@example.net")
    if cap == "daily":
        _ReferralDayItem(user_key(asha.user_id), "REFERRALS#DAY#2026-11-25", rewarded=10, expires_at=0).save()
    else:
        _ProfileItem(user_key(asha.user_id), "PROFILE").update(
            actions=[_ProfileItem.referrals_rewarded.set(200)]
        )

    # When the reward request is processed: not an error
    assert run_worker(queued_messages()) == {"batchItemFailures": []}

    # Then no reward, the referral is CAPPED
    assert status_of(bala.user_id) == "CAPPED"
    assert entries(asha.user_id, EntryType.REFERRAL) == entries(bala.user_id, EntryType.REFERRAL) == []


def test_the_daily_cap_holds_and_resets_the_next_day(cognito: Outbox, asha: Account, clock: Any) -> None:
    _ReferralDayItem(user_key(asha.user_id), "REFERRALS#DAY#2026-11-25", rewarded=9, expires_at=0).save()
    first = refer(cognito, asha, "first@example.net", ip="203.0.113.1")
    second = refer(cognito, asha, "second@example.net", ip="203.0.114.1")
    _ReferralDayItem(user_key(asha.user_id), "REFERRALS#DAY#2026-11-25", rewarded=9, expires_at=0).save()

    run_worker(queued_messages()[:1])  # the 10th today
    assert {status_of(first.user_id), status_of(second.user_id)} == {"REWARDED", "PENDING"}
    run_worker(queued_messages())  # the 11th today
    assert sorted([status_of(first.user_id), status_of(second.user_id)]) == ["CAPPED", "REWARDED"]

    clock.advance(24 * 3600)
    third = refer(cognito, asha, "third@example.net", ip="203.0.115.1")
    run_worker(queued_messages())
    assert status_of(third.user_id) == "REWARDED"


def test_a_referee_on_the_referrers_network_is_withheld_with_a_fraud_event(
    cognito: Outbox, asha: Account
) -> None:
    bala = refer(cognito, asha, "bala@example.net", ip="198.51.100.99")  # asha: 198.51.100.23

    assert run_worker(queued_messages()) == {"batchItemFailures": []}

    assert status_of(bala.user_id) == "WITHHELD"
    assert entries(asha.user_id, EntryType.REFERRAL) == entries(bala.user_id, EntryType.REFERRAL) == []
    fraud = SecurityStore().get_fraud_event(f"referral:{bala.user_id}:same-person")
    assert fraud is not None and fraud.user_id == asha.user_id
    assert fraud.details["signal"] == "same_network" and fraud.status == "OPEN"


def test_a_referee_on_a_device_the_referrer_uses_is_withheld(cognito: Outbox, asha: Account) -> None:
    # Given B signed up on a device A then logs in from, before the reward ran
    bala = refer(cognito, asha, "bala@example.net")
    assert log_in(asha.username, bala.device_id, ip="192.0.2.1")[0] == 200

    run_worker(queued_messages())

    assert status_of(bala.user_id) == "WITHHELD"
    fraud = SecurityStore().get_fraud_event(f"referral:{bala.user_id}:same-person")
    assert fraud is not None and fraud.details["signal"] == "same_device"
