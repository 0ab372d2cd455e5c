"""A wallet and its entries as their owner sees them: the wallet API's shapes, also what the GDPR export
holds of the ledger (an entry's accounting side and metadata stay internal)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from twtc_core.ledger import Entry, EntryType, Wallet

WALLET_EXAMPLE: dict[str, JsonValue] = {
    "balance": 26000,
    "held": 3000,
    "available": 23000,
    "total_earned": 31000,
    "total_spent": 5000,
    "currency": "TWTC",
    "decimals": 2,
}
TRANSACTION_EXAMPLE: dict[str, JsonValue] = {
    "id": "signup_bonus:3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11",
    "type": "SIGNUP_BONUS",
    "amount": 1000,
    "balance_after": 1000,
    "description": "Sign-up bonus",
    "created_at": "2026-12-01T09:00:05Z",
}


class WalletOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [WALLET_EXAMPLE]})

    balance: int = Field(description="Minor units (1 TWTC = 100).")
    held: int
    available: int
    total_earned: int
    total_spent: int
    currency: Literal["TWTC"] = "TWTC"
    # An integer pinned to 2 rather than `Literal[2]`: openapi-python-client mis-renders an integer `const`.
    decimals: int = Field(default=2, ge=2, le=2, description="Always 2: amounts are in hundredths of a TWTC.")

    @classmethod
    def from_wallet(cls, wallet: Wallet) -> WalletOut:
        return cls(
            balance=wallet.balance,
            held=wallet.held,
            available=wallet.available,
            total_earned=wallet.total_earned,
            total_spent=wallet.total_spent,
        )


class TransactionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [TRANSACTION_EXAMPLE]})

    id: str
    type: EntryType
    amount: int = Field(description="Signed minor units: positive credits the wallet, negative debits it.")
    balance_after: int
    description: str
    created_at: datetime

    @classmethod
    def from_entry(cls, entry: Entry) -> TransactionOut:
        return cls(
            id=entry.id,
            type=entry.type,
            amount=entry.amount,
            balance_after=entry.balance_after,
            description=entry.description,
            created_at=entry.created_at,
        )
