"""A withdrawal's full payout destination (docs/decisions.md "Payout destinations"): sealed with the payout
KMS key when requested, shown only to an admin while the withdrawal is APPROVED (audited), erased when it is
paid or rejected and when its owner's account is erased; a ciphertext moved onto another withdrawal does not
open."""

from __future__ import annotations

import io
import os
from typing import Any

import boto3
import pytest

from bench.counting import counting
from functions.admin_wallets import handler as admin_wallets_function
from functions.profile import handler as profile_function
from local_runtime.outbox import Outbox
from tests.support import accounts
from tests.support.accounts import call
from tests.support.kyc import log_lines
from tests.support.kyc_status import set_kyc_status
from tests.support.ledger import credit
from tests.support.withdrawals import (
    ADMIN,
    a_user,
    my_withdrawal,
    my_withdrawals,
    payout_destination,
    plain_claims,
    review,
    stored_item,
    withdraw,
)
from twtc_core.ledger import Ledger
from twtc_core.security import SecurityStore
from twtc_core.withdrawals.errors import DestinationUnreadable
from twtc_core.withdrawals.store import WithdrawalStore

__all__ = ["log_lines"]  # fixture
ASHA, BALA = "asha-0001", "bala-0002"
ACCOUNT_NUMBER, IFSC = "123456786789", "HDFC0001234"
BANK = {"type": "BANK", "account_number": ACCOUNT_NUMBER, "ifsc": IFSC}
UPI_ID = "bala.r@oksbi"


def error_of(response: tuple[int, Any]) -> tuple[int, str]:
    status, body = response
    return int(status), body["error"]["code"]


def every_item(table_variable: str) -> str:
    """Everything the table holds, as text (binary attributes as their bytes' repr)."""
    client = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"])
    return str(client.scan(TableName=os.environ[table_variable], ConsistentRead=True)["Items"])


@pytest.mark.usefixtures("aws")
def test_an_admin_reads_the_full_destination_only_while_approved_and_it_is_gone_once_paid() -> None:
    # Given Asha, verified and funded, who asks for a withdrawal to her bank account
    a_user(ASHA, 200_000)
    with counting() as calls:
        status, created = withdraw(ASHA, 60_000, destination=BANK)
    assert status == 201
    assert calls["kms.Encrypt"] == 1
    withdrawal_id = created["id"]
    # Then the item holds the masked form beside a ciphertext; the account number is in no table as text
    item = stored_item(withdrawal_id)
    assert item["destination_masked"] == {"S": "****6789 HDFC0001234"}
    assert set(item["destination_sealed"]) == {"B"}
    for table in ("WITHDRAWALS_TABLE_NAME", "SECURITY_TABLE_NAME", "LEDGER_TABLE_NAME"):
        assert ACCOUNT_NUMBER not in every_item(table)
    # And nothing Asha is answered carries it, sealed or not
    for answer in (created, my_withdrawal(ASHA, withdrawal_id)[1], my_withdrawals(ASHA)[1]):
        assert ACCOUNT_NUMBER not in str(answer)
        assert "sealed" not in str(answer)
    # When an admin asks for it before approving: the withdrawal is not paid from REQUESTED
    assert error_of(payout_destination(withdrawal_id)) == (409, "withdrawal_not_approved")
    # When it is approved: the admin reads the full destination
    assert review(withdrawal_id, "approve")[0] == 200
    assert payout_destination(withdrawal_id) == (
        200,
        {"type": "BANK", "account_number": ACCOUNT_NUMBER, "ifsc": IFSC, "upi_id": None},
    )
    # And the read is audited on the admin's record and on Asha's, without the destination
    [on_admin] = [
        a for a in SecurityStore().activity_of(ADMIN) if a.action == "admin_withdrawal_destination_read"
    ]
    assert on_admin.resource == f"withdrawal:{withdrawal_id}"
    [on_asha] = [
        a for a in SecurityStore().activity_of(ASHA) if a.action == "admin_withdrawal_destination_read"
    ]
    assert on_asha.resource == f"by:{ADMIN}"
    # But a moderator, or Asha herself, may not; an unknown withdrawal is 404
    moderator = {**plain_claims("mod-0003"), "cognito:groups": "[moderator]"}
    assert error_of(payout_destination(withdrawal_id, caller=None, claims=moderator)) == (403, "forbidden")
    assert error_of(payout_destination(withdrawal_id, caller=None, claims=plain_claims(ASHA))) == (
        403,
        "forbidden",
    )
    assert error_of(payout_destination("0" * 32)) == (404, "withdrawal_not_found")
    # When it is marked paid: the ciphertext went in that same write, and the route says so
    assert review(withdrawal_id, "paid")[1]["status"] == "PAID"
    assert "destination_sealed" not in stored_item(withdrawal_id)
    assert error_of(payout_destination(withdrawal_id)) == (409, "destination_erased")


@pytest.mark.usefixtures("aws")
def test_a_rejected_withdrawal_forgets_its_destination_and_a_replay_seals_nothing_again() -> None:
    # Given Bala's withdrawal to a UPI id, sent twice with one Idempotency-Key
    a_user(BALA, 200_000)
    upi = {"type": "UPI", "upi_id": UPI_ID}
    status, first = withdraw(BALA, 55_000, key="bala-key-1", destination=upi)
    with counting() as calls:
        assert withdraw(BALA, 55_000, key="bala-key-1", destination=upi) == (201, first)
    # Then the replay answered the first result without encrypting again
    assert (status, calls["kms.Encrypt"]) == (201, 0)
    assert review(first["id"], "approve")[0] == 200
    assert payout_destination(first["id"])[1] == {
        "type": "UPI",
        "upi_id": UPI_ID,
        "account_number": None,
        "ifsc": None,
    }
    # When it is rejected, the destination is erased with the status change
    assert review(first["id"], "reject", {"reason": "The UPI id does not match the KYC name."})[0] == 200
    assert "destination_sealed" not in stored_item(first["id"])
    assert error_of(payout_destination(first["id"])) == (409, "destination_erased")


@pytest.mark.usefixtures("aws")
def test_a_ciphertext_moved_onto_another_withdrawal_does_not_open(log_lines: io.StringIO) -> None:
    # Given two approved withdrawals, Asha's to her bank account and Bala's to his UPI id
    a_user(ASHA, 200_000)
    a_user(BALA, 200_000)
    ashas = withdraw(ASHA, 60_000, destination=BANK)[1]["id"]
    balas = withdraw(BALA, 60_000, destination={"type": "UPI", "upi_id": UPI_ID})[1]["id"]
    for withdrawal_id in (ashas, balas):
        assert review(withdrawal_id, "approve")[0] == 200
    # When someone able to write the table copies Bala's ciphertext onto Asha's withdrawal
    boto3.client("dynamodb", region_name=os.environ["AWS_REGION"]).update_item(
        TableName=os.environ["WITHDRAWALS_TABLE_NAME"],
        Key={"pk": {"S": f"WITHDRAWAL#{ashas}"}, "sk": {"S": "WITHDRAWAL"}},
        UpdateExpression="SET destination_sealed = :moved",
        ExpressionAttributeValues={":moved": stored_item(balas)["destination_sealed"]},
    )
    # Then KMS refuses it under Asha's withdrawal's context: the admin is never shown Bala's UPI id
    status, body = payout_destination(ashas)
    assert (status, body["error"]["code"]) == (409, "destination_unreadable")
    assert UPI_ID not in str(body)
    # And the refusal is logged by withdrawal id, with neither destination in any log line
    logged = log_lines.getvalue()
    assert "payout destination refused by KMS" in logged and ashas in logged
    assert UPI_ID not in logged and ACCOUNT_NUMBER not in logged
    sealer = admin_wallets_function.services.sealer
    sealed = WithdrawalStore().get(balas).sealed_destination  # type: ignore[union-attr]
    with pytest.raises(DestinationUnreadable):
        sealer.open(sealed, withdrawal_id=balas, user_id=ASHA)  # type: ignore[arg-type]
    assert sealer.open(sealed, withdrawal_id=balas, user_id=BALA).upi_id == UPI_ID  # type: ignore[arg-type]


def test_erasing_the_account_removes_the_sealed_destinations_it_still_holds(cognito: Outbox) -> None:
    # Given Asha, verified, with an open withdrawal to her bank account, and Bala with one of his
    asha = accounts.open_account(cognito, "asha.payout@example.com", device_id="asha-phone-0001")
    set_kyc_status(asha.user_id, "VERIFIED")
    credit(Ledger(), f"task:{asha.user_id}:funding", asha.user_id, 100_000)
    ashas = withdraw(asha.user_id, 60_000, destination=BANK)[1]["id"]
    a_user(BALA, 200_000)
    balas = withdraw(BALA, 60_000)[1]["id"]
    # When she erases her account
    assert call(profile_function.lambda_handler, "http_api_me_delete", caller=asha.user_id)[0] == 204
    # Then her withdrawal keeps its masked destination but not the full one; Bala's is untouched
    item = stored_item(ashas)
    assert "destination_sealed" not in item
    assert item["destination_masked"] == {"S": "****6789 HDFC0001234"}
    assert "destination_sealed" in stored_item(balas)
    # And an admin approving it afterwards is told the destination is gone
    assert review(ashas, "approve")[0] == 200
    assert error_of(payout_destination(ashas)) == (409, "destination_erased")
