"""Inboxes: EMAIL#<digest> / EMAIL, the account holding an inbox (the digest of its canonical address):
one account per inbox, however its address is spelled."""

from __future__ import annotations

from enum import Enum

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError
from pynamodb.models import Model

from twtc_core.accounts.stores._table import UsersTable
from twtc_core.dynamo import CONDITION_FAILED, put_if

EMAIL_SK = "EMAIL"


class EmailClaim(Enum):
    CLAIMED = "claimed"
    ALREADY_MINE = "already_mine"  # the same address claimed it before (a repeated sign-up)
    TAKEN = "taken"  # another spelling of the same inbox holds it


class _EmailIdentityItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=EMAIL_SK)
    owner = UnicodeAttribute()  # the address as the holder signed up with it, lower-cased


def _inbox_key(identity: str) -> str:
    return f"EMAIL#{identity}"


class InboxStore:
    def claim(self, identity: str, owner: str) -> EmailClaim:
        if put_if(
            _EmailIdentityItem(_inbox_key(identity), owner=owner), _EmailIdentityItem.pk.does_not_exist()
        ):
            return EmailClaim.CLAIMED
        try:
            holder = _EmailIdentityItem.get(_inbox_key(identity), EMAIL_SK, consistent_read=True)
        except _EmailIdentityItem.DoesNotExist:  # released meanwhile: the caller may try again
            return EmailClaim.TAKEN
        return EmailClaim.ALREADY_MINE if holder.owner == owner else EmailClaim.TAKEN

    def release(self, identity: str, owner: str | None = None) -> None:
        """Free the inbox for a new account (only if `owner` still holds it, when given)."""
        condition = None if owner is None else _EmailIdentityItem.owner == owner
        try:
            _EmailIdentityItem(_inbox_key(identity), EMAIL_SK).delete(condition=condition)
        except DeleteError as error:
            if error.cause_response_code != CONDITION_FAILED:
                raise
