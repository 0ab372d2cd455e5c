"""The client-IP rule's parsing (spec §9) and how per-IP counters key a client."""

from __future__ import annotations

import pytest

from twtc_core.edge import counted_client, parsed_ip


@pytest.mark.parametrize(
    ("value", "ip"),
    [
        ("203.0.113.7:50312", "203.0.113.7"),
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8::1:443", "2001:db8::1"),  # CloudFront's IPv6 form: unbracketed, then the port
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001:443", "2001:db8::1"),
        (" 203.0.113.7:443 ", "203.0.113.7"),
    ],
)
def test_one_address_with_or_without_a_port_parses(value: str, ip: str) -> None:
    assert parsed_ip(value) == ip


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not-an-ip",
        "203.0.113.7, 198.51.100.1",
        "203.0.113.7:198.51.100.1",
        "203.0.113.7:",
        "1.2.3.4:99999",
    ],
)
def test_anything_but_one_address_does_not_parse(value: str) -> None:
    assert parsed_ip(value) is None


def test_ipv4_clients_are_counted_per_address_and_ipv6_clients_per_64() -> None:
    assert counted_client("203.0.113.7") == "203.0.113.7"
    assert counted_client("2001:db8:7:1::5") == counted_client("2001:db8:7:1:ffff::9") == "2001:db8:7:1::/64"
    assert counted_client("2001:db8:7:2::5") != counted_client("2001:db8:7:1::5")
