"""Who may use the admin routes (twtc_core.admin): admins everything, moderators the reviews, nobody else
anything; a refusal is 403 `forbidden`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from twtc_core.admin import Actor, StaffOnly, require_admin, require_reviewer

CHECKS: dict[str, Callable[[Actor], None]] = {"admin": require_admin, "reviewer": require_reviewer}


@pytest.mark.parametrize(
    ("groups", "allowed"),
    [
        ({"admin"}, {"admin", "reviewer"}),
        ({"moderator"}, {"reviewer"}),
        ({"admin", "moderator"}, {"admin", "reviewer"}),
        (set(), set()),
        ({"Admin", "moderators"}, set()),  # group names are exact
    ],
)
def test_each_role_passes_exactly_its_checks(groups: set[str], allowed: set[str]) -> None:
    actor = Actor("3f1c7a52-8d0e-4b7a-9a61-5b2f0c9d4e11", frozenset(groups))
    passed = set()
    for name, check in CHECKS.items():
        try:
            check(actor)
            passed.add(name)
        except StaffOnly as refused:
            assert refused.code == "forbidden"
    assert passed == allowed
