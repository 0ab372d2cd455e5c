"""The admin console at http://127.0.0.1:3000/admin/, as CloudFront serves it from its bucket: the files of
the npm build (`make admin-console`; `make dev` rebuilds it when its sources changed), `index.html` for every
path that is not a file (the app routes in the browser), and the same security headers as the deployed
response headers policy, so a browser test sees what a deployed browser would."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from infra_cdk.wiring import ADMIN_CONSOLE

BUILD = Path(__file__).resolve().parents[1] / ADMIN_CONSOLE.build_dir
NOT_BUILT = "The admin console is not built: run `make admin-console` (make dev builds it)."
SECURITY_HEADERS = {
    "Content-Security-Policy": ADMIN_CONSOLE.content_security_policy,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _file(relative: str) -> Path | None:
    """The build's file at that path; never one outside the build (`..`, symlinks). A path no file system
    takes (a NUL byte, a name over its length limit) names no file."""
    try:
        candidate = (BUILD / relative).resolve()
        return candidate if candidate.is_file() and candidate.is_relative_to(BUILD.resolve()) else None
    except (ValueError, OSError):
        return None


async def _serve(request: Request) -> Response:
    relative = request.path_params["path"]
    found = _file(relative) if relative else None
    if found is None and Path(relative).suffix:  # a missing file (an old bundle's asset): 404, not the app
        return PlainTextResponse("Not found.", status_code=404, headers=SECURITY_HEADERS)
    if found is not None and found.name != "index.html":
        cache = f"public, max-age={ADMIN_CONSOLE.asset_cache_seconds}, immutable"
        return FileResponse(found, headers={**SECURITY_HEADERS, "Cache-Control": cache})
    index = _file("index.html")
    if index is None:
        return PlainTextResponse(NOT_BUILT, status_code=404)
    return FileResponse(index, headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


async def _to_root(_: Request) -> Response:
    return RedirectResponse(f"{ADMIN_CONSOLE.path}/", status_code=301, headers=SECURITY_HEADERS)


ROUTES: list[BaseRoute] = [
    Route(ADMIN_CONSOLE.path, _to_root, methods=["GET", "HEAD"]),
    Route(f"{ADMIN_CONSOLE.path}/{{path:path}}", _serve, methods=["GET", "HEAD"]),
]
