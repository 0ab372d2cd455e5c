"""The withdrawals API's request and response shapes (they also feed the OpenAPI document)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from twtc_core.api import page_example
from twtc_core.withdrawals import destinations
from twtc_core.withdrawals.models import DestinationType, PayoutDestination
from twtc_core.withdrawals.views import WithdrawalOut

INVALID_DESTINATION = "invalid_destination"


def upi_id(value: str) -> str:
    if not destinations.is_upi_id(value):
        raise PydanticCustomError(INVALID_DESTINATION, "A UPI id looks like name@bank.")
    return value


def account_number(value: str) -> str:
    if not destinations.is_account_number(value):
        raise PydanticCustomError(INVALID_DESTINATION, "A bank account number is 9 to 18 digits.")
    return value


def ifsc(value: str) -> str:
    if not destinations.is_ifsc(value):
        raise PydanticCustomError(INVALID_DESTINATION, "An IFSC is 4 letters, 0, then 6 letters or digits.")
    return value


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class UpiDestination(_Request):
    type: Literal["UPI"]
    upi_id: Annotated[str, Field(max_length=330), AfterValidator(upi_id)]

    @property
    def masked(self) -> str:
        return destinations.masked_upi_id(self.upi_id)

    @property
    def full(self) -> PayoutDestination:
        return PayoutDestination(DestinationType.UPI, upi_id=self.upi_id)


class BankDestination(_Request):
    type: Literal["BANK"]
    account_number: Annotated[str, Field(max_length=18), AfterValidator(account_number)]
    ifsc: Annotated[str, Field(max_length=11), AfterValidator(ifsc)]

    @property
    def masked(self) -> str:
        return destinations.masked_bank_account(self.account_number, self.ifsc)

    @property
    def full(self) -> PayoutDestination:
        return PayoutDestination(DestinationType.BANK, account_number=self.account_number, ifsc=self.ifsc)


class WithdrawalIn(_Request):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"amount": 50_000, "destination": {"type": "UPI", "upi_id": "asha.k@okaxis"}},
                {
                    "amount": 120_000,
                    "destination": {"type": "BANK", "account_number": "123456786789", "ifsc": "HDFC0001234"},
                },
            ]
        },
    )

    amount: int = Field(gt=0, le=10**12, description="Minor units (1 TWTC = 100).")
    destination: Annotated[UpiDestination | BankDestination, Field(discriminator="type")]

    @property
    def fingerprint(self) -> str:
        """The request as an Idempotency-Key replay must repeat it (the full destination, hashed)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


class WithdrawalPageOut(BaseModel):
    model_config = page_example(WithdrawalOut)

    items: list[WithdrawalOut]
    next_cursor: str | None
