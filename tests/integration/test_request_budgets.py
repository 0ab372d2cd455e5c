"""AWS calls per account request (issue 8), counted through botocore as `make bench` counts them.

Each test drives the real handlers; the budget is the success path's number of AWS calls."""

from __future__ import annotations

from bench.counting import counting
from local_runtime.outbox import Outbox
from tests.support import accounts
from twtc_core.accounts.stores.devices import DeviceStore
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
