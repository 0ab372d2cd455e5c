"""The local runtime serves the admin console as CloudFront does: the build's files, index.html for any
other path under /admin/ (the app routes in the browser), a 404 for a missing file, never a file outside
the build, and the deployed security headers on every answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from infra_cdk.wiring import ADMIN_CONSOLE
from local_runtime import admin_console
from tests.support import asgi

Get = Callable[[str], httpx.Response]


@pytest.fixture
def console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Get:
    build = tmp_path / "dist"
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text("<html>console</html>")
    (build / "assets" / "index-abc123.js").write_text("console.log('app')")
    (tmp_path / "secret.txt").write_text("outside the build")
    monkeypatch.setattr(admin_console, "BUILD", build)
    app = Starlette(routes=admin_console.ROUTES)
    return lambda path: asgi.get(app, path)


def test_a_bundle_file_is_served_with_long_caching_and_the_security_headers(console: Get) -> None:
    answer = console("/admin/assets/index-abc123.js")
    assert (answer.status_code, answer.text) == (200, "console.log('app')")
    assert (
        answer.headers["cache-control"] == f"public, max-age={ADMIN_CONSOLE.asset_cache_seconds}, immutable"
    )
    assert answer.headers["content-security-policy"] == ADMIN_CONSOLE.content_security_policy
    assert answer.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/users/3f1c7a52/show", "/admin/login", "/admin/index.html"]
)
def test_every_app_path_answers_the_uncached_index(console: Get, path: str) -> None:
    answer = console(path)
    assert (answer.status_code, answer.text) == (200, "<html>console</html>")
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_bare_path_redirects_to_the_app(console: Get) -> None:
    answer = console("/admin")
    assert (answer.status_code, answer.headers["location"]) == (301, "/admin/")
    assert answer.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/assets/index-old999.js",
        "/admin/../secret.txt",
        "/admin/%2e%2e/secret.txt",
        "/admin/a%00.js",  # no file system takes a NUL byte
        f"/admin/{'a' * 300}.js",  # nor a name over its length limit
    ],
)
def test_a_missing_file_or_one_outside_the_build_is_404(console: Get, path: str) -> None:
    answer = console(path)
    assert answer.status_code == 404
    assert "outside the build" not in answer.text


@pytest.mark.parametrize("path", ["/admin/%00", f"/admin/{'a' * 300}"])
def test_an_impossible_app_path_still_answers_the_app(console: Get, path: str) -> None:
    assert console(path).status_code == 200


def test_an_unbuilt_console_says_how_to_build_it(console: Get) -> None:
    (admin_console.BUILD / "index.html").unlink()
    answer = console("/admin/")
    assert (answer.status_code, answer.text) == (404, admin_console.NOT_BUILT)
