"""Ledger calls with the payload details tests do not vary: a task reward, a call charge, a call minute."""

from __future__ import annotations

from twtc_core.ledger import Entry, EntryType, Ledger, PlatformAccount


def credit(ledger: Ledger, entry_id: str, user_id: str, amount: int) -> Entry:
    return ledger.credit(
        entry_id=entry_id, user_id=user_id, amount=amount, entry_type=EntryType.TASK, description="task"
    )


def debit(ledger: Ledger, entry_id: str, user_id: str, amount: int) -> Entry:
    return ledger.debit(
        entry_id=entry_id,
        user_id=user_id,
        amount=amount,
        entry_type=EntryType.CALL_CHARGE,
        description="call",
        destination=PlatformAccount.CALL_REVENUE,
    )


def capture(ledger: Ledger, hold_id: str, user_id: str, entry_id: str, amount: int) -> Entry:
    return ledger.capture(
        hold_id=hold_id,
        user_id=user_id,
        entry_id=entry_id,
        amount=amount,
        entry_type=EntryType.CALL_CHARGE,
        description="minute",
        destination=PlatformAccount.CALL_REVENUE,
    )
