"""Payout destinations (spec §4): a UPI id, or an Indian bank account number with its branch's IFSC.

python-stdnum has no UPI or IFSC validator, so these are the formats NPCI and the RBI publish: a UPI id is
`handle@psp` (handle 2-256 of letters, digits, `.`, `-`, `_`; provider 2-64 letters), an account number
9-18 digits, an IFSC four letters (the bank), a zero, then six letters or digits (the branch). Only the
masked form is shown; the full one is stored only sealed (twtc_core.withdrawals.sealing), for the admin
who pays (docs/decisions.md: "Destinations", "Payout destinations")."""

from __future__ import annotations

import re

UPI_ID = re.compile(r"(?P<handle>[A-Za-z0-9._-]{2,256})@(?P<provider>[A-Za-z]{2,64})")
ACCOUNT_NUMBER = re.compile(r"[0-9]{9,18}")
IFSC = re.compile(r"[A-Z]{4}0[A-Z0-9]{6}")
SHOWN_ACCOUNT_DIGITS = 4
SHOWN_HANDLE_CHARACTERS = 2


def is_upi_id(value: str) -> bool:
    return UPI_ID.fullmatch(value) is not None


def is_account_number(value: str) -> bool:
    return ACCOUNT_NUMBER.fullmatch(value) is not None


def is_ifsc(value: str) -> bool:
    return IFSC.fullmatch(value) is not None


def masked_upi_id(upi_id: str) -> str:
    """`asha.k@okaxis` -> `as***@okaxis`: enough for its owner to recognise it, not to pay into it."""
    handle, provider = upi_id.rsplit("@", 1)
    return f"{handle[:SHOWN_HANDLE_CHARACTERS]}***@{provider.lower()}"


def masked_bank_account(account_number: str, ifsc: str) -> str:
    """`123456786789` + `HDFC0001234` -> `****6789 HDFC0001234` (an IFSC names a branch, not a person)."""
    return f"****{account_number[-SHOWN_ACCOUNT_DIGITS:]} {ifsc}"
