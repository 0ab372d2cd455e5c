"""The local platform's background work (queue pollers, scheduler) and how it stops."""

from __future__ import annotations

import asyncio
import threading

from starlette.applications import Starlette

from local_runtime.platform import LocalPlatform


class BusyPoller:
    """A poller in the middle of a batch when asked to stop; it finishes only when released."""

    def __init__(self) -> None:
        self.asked_to_stop = threading.Event()
        self.release = threading.Event()
        self.finished = False

    def run(self, stop: threading.Event) -> None:
        stop.wait()
        self.asked_to_stop.set()
        self.release.wait(timeout=30)
        self.finished = True


def test_stopping_waits_for_background_work_even_when_the_server_skipped_its_shutdown() -> None:
    # Given the background running, and a server that exited without its lifespan shutdown (a second
    # Ctrl-C forces uvicorn out)
    platform = LocalPlatform()
    poller = BusyPoller()
    platform.pollers = {"busy": poller}  # type: ignore[dict-item]
    lifespan, loop = platform.background(Starlette()), asyncio.new_event_loop()
    loop.run_until_complete(lifespan.__aenter__())
    # When the platform stops
    stopping = threading.Thread(target=platform.stop)
    stopping.start()
    try:
        # Then the background is asked to stop, and moto is not stopped while a batch still runs
        assert poller.asked_to_stop.wait(timeout=10)
        assert stopping.is_alive()
    finally:
        poller.release.set()
        stopping.join(timeout=10)
    assert poller.finished and not stopping.is_alive()
    loop.run_until_complete(lifespan.__aexit__(None, None, None))  # a later shutdown is harmless
    loop.close()
