"""Referral codes: CODE#<code> / CODE, the code's owner; the key makes codes unique."""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.accounts.models import ReferralCode
from twtc_core.accounts.stores._table import UsersTable
from twtc_core.dynamo import Check, Reads, Transaction

CODE_SK = "CODE"


class _CodeItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=CODE_SK)
    code = UnicodeAttribute()
    user_id = UnicodeAttribute()
    retired = BooleanAttribute(default=False)


def _code_key(code: str) -> str:
    return f"CODE#{code}"


def _code(item: _CodeItem) -> ReferralCode:
    return ReferralCode(code=item.code, user_id=item.user_id, retired=bool(item.retired))


class CodeStore:
    def get(self, code: str) -> ReferralCode | None:
        try:
            return _code(_CodeItem.get(_code_key(code), CODE_SK, consistent_read=True))
        except _CodeItem.DoesNotExist:
            return None

    def get_with(self, reads: Reads, code: str) -> Callable[[], ReferralCode | None]:
        """The code's record, once `reads` ran."""
        read = reads.get(_CodeItem, _code_key(code), CODE_SK)
        return lambda: _code(item) if (item := read.item()) else None

    def claim_with(self, writes: Transaction, user_id: str, code: str) -> Check | None:
        """Reserve `code` for the user; the check fails when another user holds it."""
        return writes.put(
            _CodeItem(_code_key(code), code=code, user_id=user_id), _CodeItem.pk.does_not_exist()
        )

    def retire(self, code: str) -> None:
        _CodeItem(_code_key(code), CODE_SK).update(actions=[_CodeItem.retired.set(True)])
