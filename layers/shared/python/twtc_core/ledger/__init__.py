"""The coin ledger (spec §2): immutable double-entry entries, user wallets with holds, platform accounts."""

from twtc_core.ledger.models import Credit, Entry, EntryType, Hold, HoldStatus, PlatformAccount, Wallet
from twtc_core.ledger.service import (
    ConcurrentUpdate,
    HoldClosed,
    IdempotencyMismatch,
    InsufficientFunds,
    Ledger,
    WalletExists,
    WalletNotFound,
)

__all__ = [
    "ConcurrentUpdate",
    "Credit",
    "Entry",
    "EntryType",
    "Hold",
    "HoldClosed",
    "HoldStatus",
    "IdempotencyMismatch",
    "InsufficientFunds",
    "Ledger",
    "PlatformAccount",
    "Wallet",
    "WalletExists",
    "WalletNotFound",
]
