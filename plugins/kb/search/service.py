"""The search service: GET /api/search answered from a read-only index, and optionally the static site too.

Production: run `kb search-service --index site.search --site site --port 8081` behind any
reverse proxy. The index files are only read, so several copies can run behind a load balancer;
a rebuilt index swapped in beside the site is picked up on the next request. Hostile input gets a 4xx with a sentence, never a 5xx.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.content.model import ENTRY_TYPES
from kb.search.index import IndexMissing
from kb.search.query import MAX_PAGE, MAX_PAGE_SIZE, SORTS, SearchEngine
from kb.search.text import MAX_QUERY_CHARS

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Every built page carries its own script policy (a <meta> CSP listing the theme's inline scripts by
# hash, see security.py); the header adds what a <meta> policy cannot: frame-ancestors (clickjacking).
SITE_CSP = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"


class BadRequest(Exception):
    """A request the API refuses; the message tells the caller what to send instead."""


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)


def _id(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name) or None
    if raw is not None and (len(raw) > 80 or not ID_RE.match(raw)):
        raise BadRequest(f"'{name}' must be an id such as 'equity' (lower-case letters, digits and hyphens).")
    return raw


def search_params(request: Request) -> dict[str, Any]:
    """The search arguments from a query string, checked; BadRequest says what is wrong."""
    params = request.query_params
    for name in params:
        if len(params.getlist(name)) > 1:
            raise BadRequest(f"'{name}' may be given once.")
    q = params.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest(f"The query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}.")
    entry_type = _id(request, "type")
    if entry_type is not None and entry_type not in ENTRY_TYPES:
        raise BadRequest(f"'type' must be one of: {', '.join(ENTRY_TYPES)}.")
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"'sort' must be one of: {', '.join(SORTS)}.")
    return {
        "q": q,
        "type": entry_type,
        "network": _id(request, "network"),
        "tag": _id(request, "tag"),
        "page": _int(request, "page", 1, 1, MAX_PAGE),
        "size": _int(request, "size", 10, 1, MAX_PAGE_SIZE),
        "sort": sort,
    }


class EngineHolder:
    """Opens the index on first use (it may not exist yet when `kb serve` starts)."""

    def __init__(self, index_dir: Path, fast: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.fast = fast
        self.engine: SearchEngine | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchEngine:
        if self.engine is None:
            with self._lock:
                if self.engine is None:
                    self.engine = SearchEngine(self.index_dir, fast=self.fast)
        return self.engine


def _json(data: dict[str, Any], status: int = 200, cache: str = "no-store") -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": cache})


def create_app(
    index_dir: Path, site_dir: Path | None = None, cors_origins: tuple[str, ...] = (), *, fast: bool = True, members: bool = False
) -> Starlette:
    """The ASGI app: /api/search and /api/health, then the static site (if given) for every other path.
    `fast`: posting lists read a block at a time (whoosh_internals.py); False gives the same answers, slower.
    `members`: the members' index, whose answers only the member's own browser may keep."""
    holder = EngineHolder(index_dir, fast)
    answer_cache = "private, max-age=60" if members else "public, max-age=60"

    def search(request: Request) -> JSONResponse:
        try:
            args = search_params(request)
            engine = holder.get()
        except BadRequest as exc:
            return _json({"error": str(exc)}, 400)
        except IndexMissing as exc:
            return _json({"error": "Search is not available right now.", "detail": str(exc)}, 503)
        return _json(engine.search(**args), cache=answer_cache)

    def health(request: Request) -> JSONResponse:
        try:
            return _json({"ok": True, "entries": holder.get().info.get("entries")})
        except IndexMissing as exc:
            return _json({"ok": False, "error": str(exc)}, 503)

    def api_not_found(request: Request) -> JSONResponse:
        return _json({"error": "There is no such API address. Use /api/search?q=words."}, 404)

    routes: list[BaseRoute] = [
        Route("/api/search", search, methods=["GET", "HEAD"]),
        Route("/api/health", health),
        Route("/api/{rest:path}", api_not_found),
    ]
    if site_dir is not None:
        routes.append(Mount("/", app=StaticFiles(directory=str(site_dir), html=True), name="site"))
    middleware = [Middleware(SecurityHeaders), Middleware(GZipMiddleware, minimum_size=500)]
    if cors_origins:
        middleware.insert(0, Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"]))
    return Starlette(routes=routes, middleware=middleware)


class SecurityHeaders:
    """nosniff, a referrer policy and a Content-Security-Policy on every response (strict for JSON)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        is_api = scope.get("path", "").startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"content-security-policy", (API_CSP if is_api else SITE_CSP).encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def serve_in_thread(app: ASGIApp, host: str, port: int) -> Callable[[], None]:
    """Run an app with uvicorn in a daemon thread (for `kb serve` and tests); returns a stop function."""
    import time

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(250):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.02)
    if not server.started:
        raise OSError(f"could not listen on {host}:{port} (in use?)")

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)

    return stop
