"""Issue 11's boost figures: AWS calls per boost request through the real handler (goal: <= 3 each).
Runs against moto; call counts are exact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.counting import counting
from local_runtime.moto_fidelity import fresh_aws
from local_runtime.seed import seed_content
from tests.support import boosts
from twtc_core.clock import CLOCK

GOAL = "<= 3"
USER = "bench-booster"
VIDEO = "taj-mahal"  # 90 s, right option B (local_runtime/seed_data/videos.json)
VIDEO_SECONDS = 90


def boost_calls() -> list[tuple[str, int, str, str]]:
    """One boost of a mining user (session check already cached, as on a warm container)."""
    with fresh_aws():
        CLOCK.freeze(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
        seed_content()
        boosts.mining_user(USER, group=3)

        def warm_session_check() -> None:
            """Any request (this one is refused) caches the session check, as on a warm container."""
            boosts.start_boost(USER, "no-such-video")

        warm_session_check()
        boost: dict[str, str] = {}

        def start() -> None:
            status, body = boosts.start_boost(USER, VIDEO)
            assert status == 201, body
            boost["id"] = body["id"]

        steps: list[tuple[str, Callable[[], Any]]] = [
            ("POST /v1/boosts", start),
            ("POST /v1/boosts/{id}/question", lambda: boosts.ask(USER, boost["id"])),
            (
                "POST /v1/boosts/{id}/answer (right, in time: credits)",
                lambda: boosts.answer(USER, boost["id"], "B"),
            ),
        ]
        rows = []
        for name, step in steps:
            with counting() as calls:
                step()
            rows.append((name, calls.total(), ", ".join(f"{n} x{c}" for n, c in sorted(calls.items())), GOAL))
            if name == "POST /v1/boosts":
                CLOCK.advance(VIDEO_SECONDS)
                warm_session_check()
        CLOCK.reset()
    return rows
