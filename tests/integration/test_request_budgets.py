"""AWS calls per account request (issue 8), counted through botocore as `make bench` counts them.

Each test drives the real handlers; the budget is the success path's number of AWS calls."""

from __future__ import annotations

from bench.counting import counting
from local_runtime.outbox import Outbox
from tests.support import accounts
from twtc_core.accounts.stores.devices import DeviceStore
from twtc_core.ledger import Ledger
from twtc_core.security import SecurityStore


def test_a_login_from_a_known_device_costs_three_calls(cognito: Outbox) -> None:
    # Given an account opened on its device
    asha = accounts.open_account(cognito, "asha@example.com")

    # When its user logs in from that device
    with counting() as calls:
        status, _, _ = accounts.log_in(asha.username, asha.device_id, ip="192.0.2.7")

    # Then: slots taken, password checked, slots given back with the device and activity written
    assert status == 200
    assert calls == {"dynamodb.TransactWriteItems": 2, "cognito-idp.InitiateAuth": 1}
    device = DeviceStore().get(asha.user_id, asha.device_id)
    assert device is not None and device.last_ip == "192.0.2.7"
    assert next(item.action for item in SecurityStore().activity_of(asha.user_id)) == "login"


def test_a_login_from_a_new_device_records_the_device_and_gives_both_slots_back(cognito: Outbox) -> None:
    # Given an account that already failed four logins (the username's limit is five)
    asha = accounts.open_account(cognito, "asha@example.com")
    for _ in range(4):
        accounts.log_in(asha.username, asha.device_id, password="Wr0ng!Passw0rd")

    # When its user logs in from a new device, which costs more (the sessions it ends)
    assert accounts.log_in(asha.username, "device-asha-tablet")[0] == 200

    # Then the new device is the user's, and that success left the fifth failure's slot free
    assert DeviceStore().get(asha.user_id, "device-asha-tablet") is not None
    assert accounts.log_in(asha.username, asha.device_id, password="Wr0ng!Passw0rd")[0] == 401
    assert accounts.log_in(asha.username, asha.device_id)[0] == 429


def test_a_referred_sign_up_by_email_costs_five_calls_the_trigger_included(cognito: Outbox) -> None:
    # Given a referrer
    asha = accounts.open_account(cognito, "asha@example.com")
    code = accounts.referral_code_of(asha.user_id)

    # When someone signs up with the code through the API
    with counting() as calls:
        status, _, _ = accounts.sign_up("bala@example.net", referral_code=code, ip="203.0.113.50")

    # Then: the code read, one transaction (IP slot, inbox + pass, the referrer's conditions), Cognito,
    # the trigger reading the pass, the activity
    assert status == 201
    assert calls == {
        "dynamodb.GetItem": 2,
        "dynamodb.TransactWriteItems": 1,
        "cognito-idp.SignUp": 1,
        "dynamodb.PutItem": 1,
    }


def test_confirming_and_provisioning_a_referred_account_cost_eight_calls(cognito: Outbox) -> None:
    # Given a referred sign-up
    asha = accounts.open_account(cognito, "asha@example.com")
    code = accounts.referral_code_of(asha.user_id)
    status, body, _ = accounts.sign_up("bala@example.net", referral_code=code, ip="203.0.113.50")
    assert status == 201

    # When it is confirmed, and the provisioning worker gets the request PostConfirmation queued
    with counting() as confirming:
        assert accounts.confirm(cognito, "bala@example.net")[0] == 200
    delivered = accounts.queued_messages("PROVISIONING_QUEUE_URL")
    with counting() as provisioning:
        assert accounts.run_provisioning_of(delivered) == {"batchItemFailures": []}

    # Then confirming is the slot, Cognito and the queued request; provisioning reads the user, opens
    # profile, wallet and bonus in one transaction, reads the groups and the code in one call, settles
    # code, group, device and referral in one transaction and requests the reward
    assert confirming == {"dynamodb.UpdateItem": 1, "cognito-idp.ConfirmSignUp": 1, "sqs.SendMessage": 1}
    assert provisioning == {
        "cognito-idp.AdminGetUser": 1,
        "dynamodb.TransactWriteItems": 2,
        "dynamodb.TransactGetItems": 1,
        "sqs.SendMessage": 1,
    }
    assert confirming.total() + provisioning.total() == 8
    # And the account is complete: its bonus, its code, and the referral that asks for the reward
    assert Ledger().get_wallet(body["user_id"]).balance == 1_000  # the sign-up bonus the tests run with
    assert accounts.referral_code_of(body["user_id"])
    assert accounts.queued_messages() != []
