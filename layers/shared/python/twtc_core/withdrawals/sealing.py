"""The full payout destination, sealed with the payout KMS key (docs/decisions.md "Payout destinations").

One KMS Encrypt per withdrawal request, one Decrypt per admin read. The encryption context names the
withdrawal and its owner, so KMS refuses a ciphertext moved onto another withdrawal: whoever could write
the table still cannot make an admin pay one user's destination for another's withdrawal. Only the
`withdrawals` function may encrypt and only `admin_wallets` may decrypt (infra_cdk/constructs/payouts.py).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from twtc_core.observability import logger
from twtc_core.withdrawals.errors import DestinationUnreadable
from twtc_core.withdrawals.models import DestinationType, PayoutDestination

# KMS's answers when the ciphertext does not open under this key and context.
REFUSED = frozenset({"InvalidCiphertextException", "IncorrectKeyException", "AccessDeniedException"})


def encryption_context(withdrawal_id: str, user_id: str) -> dict[str, str]:
    return {"withdrawal_id": withdrawal_id, "user_id": user_id}


class DestinationSealer:
    def __init__(self, key_id: str, region: str) -> None:
        self._key_id = key_id
        self._kms: Any = boto3.client("kms", region_name=region)

    def seal(self, destination: PayoutDestination, *, withdrawal_id: str, user_id: str) -> bytes:
        answer = self._kms.encrypt(
            KeyId=self._key_id,
            Plaintext=_plaintext(destination),
            EncryptionContext=encryption_context(withdrawal_id, user_id),
        )
        return bytes(answer["CiphertextBlob"])

    def open(self, sealed: bytes, *, withdrawal_id: str, user_id: str) -> PayoutDestination:
        try:
            answer = self._kms.decrypt(
                CiphertextBlob=sealed,
                KeyId=self._key_id,
                EncryptionContext=encryption_context(withdrawal_id, user_id),
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in REFUSED:
                # Someone wrote another withdrawal's ciphertext here (or it is damaged): worth a look.
                logger.warning(
                    "payout destination refused by KMS", extra={"withdrawal_id": withdrawal_id, "code": code}
                )
                raise DestinationUnreadable(
                    "The stored destination does not open for this withdrawal; ask its owner."
                ) from error
            raise
        return _destination(answer["Plaintext"])


def _plaintext(destination: PayoutDestination) -> bytes:
    fields = {
        "type": destination.type.value,
        "upi_id": destination.upi_id,
        "account_number": destination.account_number,
        "ifsc": destination.ifsc,
    }
    return json.dumps({name: value for name, value in fields.items() if value is not None}).encode()


def _destination(plaintext: bytes) -> PayoutDestination:
    fields = json.loads(plaintext)
    return PayoutDestination(
        type=DestinationType(fields["type"]),
        upi_id=fields.get("upi_id"),
        account_number=fields.get("account_number"),
        ifsc=fields.get("ifsc"),
    )
