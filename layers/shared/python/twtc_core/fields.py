"""Field types request models share. A validator that raises `PydanticCustomError(code, message)` names the
spec's error code for that problem (twtc_core.api answers it instead of `validation_failed`)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

# Bidirectional embeddings, overrides, isolates and marks: they make a name display as something else.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONFIRMATION_CODE = re.compile(r"[0-9]{6}")


# Characters that draw nothing: format characters (zero-width space, BOM, ...), separators, and the
# Hangul fillers, which Unicode calls letters but which render as blanks.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp"})
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def printable_name(name: str) -> str:
    """Refused rather than stripped: a name is shown to other users exactly as its owner typed it, so it
    may not hide control or text-direction characters, nor be made only of characters that draw nothing
    (a blank-looking name, or one that impersonates another with an invisible extra)."""
    if any(unicodedata.category(char) == "Cc" or char in BIDI_CONTROLS for char in name):
        raise ValueError("A name cannot contain control or text-direction characters.")
    if all(unicodedata.category(char) in INVISIBLE_CATEGORIES or char in BLANK_LETTERS for char in name):
        raise ValueError("A name needs at least one visible character.")
    return name


def confirmation_code(code: str) -> str:
    if not CONFIRMATION_CODE.fullmatch(code):
        raise PydanticCustomError("invalid_code", "The verification code is six digits 0-9.")
    return code


DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(printable_name),
]
ConfirmationCode = Annotated[str, Field(max_length=16), AfterValidator(confirmation_code)]
