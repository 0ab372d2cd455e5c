"""Referral codes: short, unique, and easy to read aloud or type (no 0/O, 1/I/L look-alikes)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8  # 31^8 ≈ 8.5e11 codes: a random draw almost never collides, and a collision just redraws
_SEPARATORS = re.compile(r"[\s-]+")
_VALID = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(entered: str) -> str | None:
    """What a user typed ("abcd-2345", "abcd 2345") as a stored code, or None if it cannot be one."""
    code = _SEPARATORS.sub("", entered).upper()
    return code if _VALID.match(code) else None


def share_link(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/r/{code}"
