"""Withdrawals (spec §4, issue 12): coins a verified user asks to be paid out, reserved by a ledger hold
until an admin pays (the hold is captured) or rejects (the hold is released) the request."""
