"""Sign-up passes of sign-ups by phone: SIGNUP#<digest of the number> / PASS, left by the auth API for a
sign-up it has checked, so the PreSignUp trigger can tell it from one that bypassed the API (a sign-up by
e-mail carries its pass on its inbox reservation, see inboxes.py). It expires (TTL `expires_at`) soon
after; a failed sign-up deletes it."""

from __future__ import annotations

import hashlib

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from twtc_core.accounts.models import SignupPass
from twtc_core.accounts.stores._table import UsersTable
from twtc_core.dynamo import Transaction

PASS_SK = "PASS"


class _SignupPassItem(Model):
    class Meta(UsersTable):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=PASS_SK)
    device_id = UnicodeAttribute(null=True)
    signup_ip = UnicodeAttribute(null=True)
    referral_code = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()


def _pass_key(phone: str) -> str:
    return f"SIGNUP#{hashlib.sha256(phone.encode()).hexdigest()}"


class SignupPassStore:
    def issue_with(self, writes: Transaction, phone: str, granted: SignupPass) -> None:
        writes.put(
            _SignupPassItem(
                _pass_key(phone),
                device_id=granted.device_id,
                signup_ip=granted.signup_ip,
                referral_code=granted.referral_code,
                expires_at=granted.expires_at,
            )
        )

    def revoke_with(self, writes: Transaction, phone: str) -> None:
        writes.delete(_SignupPassItem(_pass_key(phone), PASS_SK))

    def get(self, phone: str) -> SignupPass | None:
        try:
            item = _SignupPassItem.get(_pass_key(phone), PASS_SK, consistent_read=True)
        except _SignupPassItem.DoesNotExist:
            return None
        return SignupPass(item.device_id, item.signup_ip, item.referral_code, int(item.expires_at))
