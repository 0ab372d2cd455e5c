"""The admin console's figures (issue 14): what a browser downloads (raw and gzip, as CloudFront compresses),
and the first load in the OS's headless Chromium — from the request for /admin/ to the login form on screen,
with an empty cache and with the bundle cached. The build is served as the local runtime serves it."""

from __future__ import annotations

import gzip
import re
import socket
import statistics
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from selenium.webdriver.chrome.webdriver import WebDriver
from starlette.applications import Starlette

from local_runtime import admin_console
from tests.support import chromium as os_chromium

LOADS = 5
# Our budgets (the issue asks for the figures, not a target): the login page's code in gzip (the dashboard's
# charts load after sign-in), and the login form on screen with a cold cache on the machine itself.
INITIAL_JS_GOAL_KIB = 400
FIRST_LOAD_GOAL_MS = 1_500
# The moment the login form is on screen, recorded by the page itself (no polling from outside).
FORM_SEEN = """
window.__formSeenAt = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('input[name=username]')) {
    window.__formSeenAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def _kib(size: int) -> str:
    return f"{size / 1024:,.1f}"


def _initial_files(build: Path) -> set[str]:
    """index.html and what it loads before any code runs (its script and style tags)."""
    index = (build / "index.html").read_text()
    return {
        "index.html",
        *(
            m.lstrip("/").removeprefix("admin/")
            for m in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', index)
        ),
    }


def bundle_sizes() -> list[tuple[str, str, str, str]]:
    build = admin_console.BUILD
    if not (build / "index.html").exists():
        return [("(not built)", "-", "-", "make admin-console")]
    initial = _initial_files(build)
    rows, initial_gzip = [], 0
    for path in sorted(p for p in build.rglob("*") if p.is_file()):
        name = str(path.relative_to(build))
        raw = path.read_bytes()
        zipped = len(gzip.compress(raw, compresslevel=9))
        initial_gzip += zipped if name in initial else 0
        rows.append(
            (
                name
                + (" (initial)" if name in initial else " (after sign-in)" if name.endswith(".js") else ""),
                _kib(len(raw)),
                _kib(zipped),
                "",
            )
        )
    rows.append(
        ("initial load, total", "", _kib(initial_gzip), f"<= {INITIAL_JS_GOAL_KIB} KiB gzip (our budget)")
    )
    return rows


@contextmanager
def _serving() -> Iterator[str]:
    """The console's routes alone (the login page calls no API) on a free port, in this process."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=admin_console.ROUTES), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.01)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()


def _load_ms(driver: WebDriver, url: str) -> float:
    driver.get(url)
    seen = None
    while seen is None:  # the page records the moment itself: asking again costs nothing it measures
        seen = driver.execute_script("return window.__formSeenAt")
    return float(seen)


def first_load() -> list[tuple[str, str, str]]:
    if missing := os_chromium.missing():
        return [("first load", f"not measured: {missing} missing", os_chromium.INSTALL_HINT)]
    if not (admin_console.BUILD / "index.html").exists():
        return [("first load", "not measured: the console is not built", "make admin-console")]
    driver = os_chromium.chromium()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FORM_SEEN})
        with _serving() as url:
            driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
            cold = [_load_ms(driver, f"{url}/admin/login") for _ in range(LOADS)]
            driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
            _load_ms(driver, f"{url}/admin/login")
            warm = [_load_ms(driver, f"{url}/admin/login") for _ in range(LOADS)]
    finally:
        driver.quit()
    return [
        (
            "login form on screen, empty cache",
            f"median {statistics.median(cold):,.0f} ms of {LOADS}",
            f"<= {FIRST_LOAD_GOAL_MS:,} ms (our budget)",
        ),
        ("login form on screen, bundle cached", f"median {statistics.median(warm):,.0f} ms of {LOADS}", "-"),
    ]
