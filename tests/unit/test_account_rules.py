"""Pure account rules: referral codes, masking, the same-network test, sign-in identifiers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from functions.auth.models import LoginIn, SignupIn
from twtc_core.accounts import codes
from twtc_core.accounts.errors import DisposableEmail
from twtc_core.accounts.models import SignupPass
from twtc_core.accounts.rules import (
    canonical_email,
    email_identity,
    ensure_email_domain_allowed,
    mask_contact,
    mask_name,
    same_network,
)

TEN_O_CLOCK = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_codes_avoid_look_alike_characters() -> None:
    drawn = "".join(codes.new_code() for _ in range(500))
    assert not set(drawn) & set("01OIL")
    assert len(codes.new_code()) == codes.LENGTH


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abcd2345", "ABCD2345"),
        (" abcd-2345 ", "ABCD2345"),
        ("ABCD 2345", "ABCD2345"),
        ("ABCD0345", None),
        ("AB", None),
    ],
)
def test_typed_codes_are_normalized_or_refused(typed: str, stored: str | None) -> None:
    assert codes.normalize(typed) == stored


def test_the_share_link_ends_with_the_code() -> None:
    assert codes.share_link("https://twtc.app/", "ABCD2345") == "https://twtc.app/r/ABCD2345"


@pytest.mark.parametrize(
    ("name", "masked"), [("Bala Kumar", "B*** K****"), ("Li", "L*"), (None, "***"), ("", "***")]
)
def test_names_are_masked(name: str | None, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("email", "phone", "masked"),
    [
        ("bala@example.net", None, "b***@example.net"),
        ("b@example.net", None, "b**@example.net"),
        (None, "+919876543210", "+91******3210"),
        (None, None, "***"),
    ],
)
def test_contacts_are_masked(email: str | None, phone: str | None, masked: str) -> None:
    assert mask_contact(email, phone) == masked


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("198.51.100.23", "198.51.100.250", True),
        ("198.51.100.23", "198.51.101.23", False),
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("198.51.100.23", "2001:db8::1", False),
        ("198.51.100.23", None, False),
        ("not-an-ip", "198.51.100.23", False),
    ],
)
def test_same_network_means_the_same_ipv4_24_or_ipv6_64(first: str, second: str | None, same: bool) -> None:
    assert same_network(first, second) is same


def test_disposable_domains_are_refused_and_others_pass() -> None:
    with pytest.raises(DisposableEmail):
        ensure_email_domain_allowed("someone@Mailinator.com")
    ensure_email_domain_allowed("someone@example.com")
    ensure_email_domain_allowed(None)


@pytest.mark.parametrize("address", ["x@eu.mailinator.com", "x@a.b.Mailinator.com.", "x@mailinator.com"])
def test_disposable_domains_are_refused_with_their_subdomains(address: str) -> None:
    with pytest.raises(DisposableEmail) as refused:
        ensure_email_domain_allowed(address)
    assert refused.value.details == {"domain": "mailinator.com"}


@pytest.mark.parametrize(
    ("address", "inbox"),
    [
        ("Asha.Rao+promo@GMail.com", "asharao@gmail.com"),
        ("a.s.h.a.rao@googlemail.com", "asharao@gmail.com"),
        ("asha.rao+2@example.com", "asha.rao@example.com"),  # dots are significant elsewhere
        ("ASHA@Example.COM", "asha@example.com"),
    ],
)
def test_aliases_of_one_inbox_have_one_canonical_address(address: str, inbox: str) -> None:
    assert canonical_email(address) == inbox


def test_the_email_identity_is_a_digest_shared_by_aliases_and_not_the_address() -> None:
    identity = email_identity("asha.rao+x@gmail.com")
    assert identity == email_identity("AshaRao@gmail.com") != email_identity("asharao@example.com")
    assert identity is not None and "asha" not in identity
    assert email_identity(None) is None


def test_phone_sign_ups_are_stored_in_e164() -> None:
    request = SignupIn(phone="+91 98765-43210", password="x", name="C", device_id="device-0001")
    assert request.username == "+919876543210"


@pytest.mark.parametrize("phone", ["12345", "+91 12", "+1 555 0100"])
def test_invalid_phone_numbers_are_refused(phone: str) -> None:
    with pytest.raises(ValidationError):
        SignupIn(phone=phone, password="x", name="C", device_id="device-0001")


def test_login_usernames_compare_case_insensitively_for_email() -> None:
    assert LoginIn(username=" Asha@Example.COM ", password="x", device_id="device-0001").username == (
        "asha@example.com"
    )


def test_a_sign_up_pass_admits_only_the_checked_attributes_until_it_expires() -> None:
    # Given the pass of a sign-up the API checked, valid until 10:00:00
    granted = SignupPass("device-1", "203.0.113.9", "ABCD2345", expires_at=int(TEN_O_CLOCK.timestamp()))
    before = TEN_O_CLOCK - timedelta(seconds=1)

    # Then the very same attributes are admitted before it expires, nothing else and nothing after
    assert granted.admits("device-1", "203.0.113.9", "ABCD2345", before)
    assert not granted.admits("device-1", "203.0.113.9", "ZZZZ2222", before)
    assert not granted.admits("device-2", "203.0.113.9", "ABCD2345", before)
    assert not granted.admits("device-1", "198.51.100.1", "ABCD2345", before)
    assert not granted.admits("device-1", "203.0.113.9", "ABCD2345", TEN_O_CLOCK)
