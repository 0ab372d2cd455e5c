"""Inboxes: EMAIL#<digest> / EMAIL, the account holding an inbox (the digest of its canonical address):
one account per inbox, however its address is spelled. The auth API's reservation carries the sign-up's
pass (the attributes it checked, until `pass_expires_at`), so the PreSignUp trigger need not check again.

A reservation nobody confirms (the code goes to the inbox's owner, so a squatter who typed someone
else's address never can) gives way after UNCONFIRMED_HOLD_SECONDS, Cognito's code lifetime: the real
owner can then sign up. Provisioning marks the reservation `confirmed`; a confirmed one never gives way.

EMAIL#<digest> / ERASED counts the accounts the inbox held and erased (nothing that identifies the
person). Erasure frees the inbox for a new account, but a returning inbox is never someone's new
referral: erase-and-sign-up-again would otherwise farm a referrer's rewards from one inbox."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.accounts.models import SignupPass
from twtc_core.accounts.stores._table import UsersTable
from twtc_core.dynamo import Check, Transaction

EMAIL_SK = "EMAIL"
ERASED_SK = "ERASED"
UNCONFIRMED_HOLD_SECONDS = 24 * 3600  # a Cognito confirmation code's lifetime


class _EmailIdentityItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=EMAIL_SK)
    owner = UnicodeAttribute()  # the address as the holder signed up with it, lower-cased
    device_id = UnicodeAttribute(null=True)
    signup_ip = UnicodeAttribute(null=True)
    referral_code = UnicodeAttribute(null=True)
    pass_expires_at = NumberAttribute(null=True)  # not the TTL: the reservation itself stays
    reserved_at = NumberAttribute(null=True)  # epoch seconds
    confirmed = BooleanAttribute(null=True)  # set by provisioning: the holder proved the inbox is theirs


class _ErasedAccountsItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=ERASED_SK)
    erased_accounts = NumberAttribute()


def _inbox_key(identity: str) -> str:
    return f"EMAIL#{identity}"


class InboxStore:
    def reserve_with(
        self, writes: Transaction, identity: str, owner: str, granted: SignupPass | None, now: int
    ) -> Check | None:
        """Hold the inbox for `owner` (with the sign-up's pass, if any); the check fails when it is held
        already (by anyone), unless by a reservation left unconfirmed for longer than a code lives."""
        item = _EmailIdentityItem(_inbox_key(identity), owner=owner, reserved_at=now)
        if granted is not None:
            item.device_id, item.signup_ip = granted.device_id, granted.signup_ip
            item.referral_code, item.pass_expires_at = granted.referral_code, granted.expires_at
        abandoned = _EmailIdentityItem.confirmed.does_not_exist() & (
            _EmailIdentityItem.reserved_at < now - UNCONFIRMED_HOLD_SECONDS
        )
        return writes.put(item, _EmailIdentityItem.pk.does_not_exist() | abandoned)

    def confirm_with(self, writes: Transaction, identity: str, owner: str) -> None:
        """Mark the inbox's reservation confirmed (provisioning: the holder used the emailed code); an
        account confirmed without one (an administrator's) gets its reservation now."""
        writes.update(
            _EmailIdentityItem(_inbox_key(identity), EMAIL_SK),
            [
                _EmailIdentityItem.owner.set(_EmailIdentityItem.owner | owner),
                _EmailIdentityItem.confirmed.set(True),
            ],
        )

    def never_erased_with(self, writes: Transaction, identity: str) -> Check | None:
        """A check that fails when the inbox already held an account and erased it."""
        return writes.check(
            _ErasedAccountsItem, _inbox_key(identity), ERASED_SK, _ErasedAccountsItem.pk.does_not_exist()
        )

    def pass_for(self, identity: str, owner: str) -> SignupPass | None:
        """The pass of the sign-up of `owner` that reserved the inbox, if it left one."""
        try:
            item = _EmailIdentityItem.get(_inbox_key(identity), EMAIL_SK, consistent_read=True)
        except _EmailIdentityItem.DoesNotExist:
            return None
        if item.owner != owner or item.pass_expires_at is None:
            return None
        return SignupPass(item.device_id, item.signup_ip, item.referral_code, int(item.pass_expires_at))

    def release_with(self, writes: Transaction, identity: str) -> None:
        """Give back a reservation the caller made (nobody else can hold it meanwhile)."""
        writes.delete(_EmailIdentityItem(_inbox_key(identity), EMAIL_SK))

    def holder(self, identity: str) -> str | None:
        """The address holding the inbox, if any."""
        try:
            return _EmailIdentityItem.get(_inbox_key(identity), EMAIL_SK, consistent_read=True).owner
        except _EmailIdentityItem.DoesNotExist:
            return None

    def release(self, identity: str) -> None:
        """Free the inbox for a new account (erasure), counting the account it held."""
        writes = Transaction()
        writes.delete(_EmailIdentityItem(_inbox_key(identity), EMAIL_SK))
        writes.update(
            _ErasedAccountsItem(_inbox_key(identity), ERASED_SK), [_ErasedAccountsItem.erased_accounts.add(1)]
        )
        writes.commit()
