"""The admin console in a real browser: the OS's headless Chromium (Debian's `chromium` and `chromium-driver`,
which `make test` installs; nothing is downloaded at run time) driven by Selenium against the local runtime
`make dev` runs, in its own process on free ports. Each test is a new visitor: its own viewer address
(CloudFront's header, set through the DevTools protocol, as e2e clients do), empty storage, and no console
error by the end of it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from tests.browser.console import Console
from tests.e2e import conftest as e2e
from tests.e2e.conftest import Runtime, viewer_address
from tests.support import chromium as os_chromium

# The local runtime in its own process and an HTTP client of it: the e2e tests' fixtures, shared.
runtime = e2e.runtime
api = e2e.api

BANNER_ADMIN = re.compile(r"^\s+Admin\s+(\S+) / (\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


@pytest.fixture(scope="session")
def admin_credentials(runtime: Runtime) -> Credentials:
    """What `make dev` prints for the admin: the banner is written before the runtime says it is ready."""
    found = BANNER_ADMIN.search(runtime.log.read_text())
    assert found, runtime.log.read_text()
    return Credentials(found.group(1), found.group(2))


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    missing = os_chromium.missing()
    assert not missing, f"{missing} missing: {os_chromium.INSTALL_HINT}"
    driver = os_chromium.chromium()
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium: WebDriver, runtime: Runtime) -> Iterator[Console]:
    """A new visitor with empty storage and its own viewer address; fails the test on any console error
    but the API answers the test said it expects (`console.expect_failed_requests`)."""
    viewer = {"CloudFront-Viewer-Address": viewer_address()}
    chromium.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": viewer})
    chromium.get(f"{runtime.url}/openapi.json")  # a page of the origin, to empty its storage
    chromium.execute_script("window.localStorage.clear(); window.sessionStorage.clear();")
    chromium.get_log("browser")  # what an earlier test left
    console = Console(chromium, runtime.url, screenshots=_screenshots_dir())
    yield console
    errors = [entry for entry in chromium.get_log("browser") if entry["level"] == "SEVERE"]
    unexpected = [entry["message"] for entry in errors if not console.expected(entry["message"])]
    assert not unexpected, unexpected


def _screenshots_dir() -> Path | None:
    """`make screenshots` sets it: the journeys save the pages docs/ shows."""
    configured = os.environ.get("CONSOLE_SCREENSHOTS")
    return Path(configured) if configured else None
