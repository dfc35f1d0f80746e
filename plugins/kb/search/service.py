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
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.content.model import ENTRY_TYPES, VOCABULARIES
from kb.search import server_page
from kb.search.index import IndexMissing
from kb.search.query import MAX_PAGE, MAX_PAGE_SIZE, SORTS, SearchEngine
from kb.search.text import MAX_QUERY_CHARS

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIGITS_RE = re.compile(r"[0-9]{1,6}")  # ASCII digits only (str.isdigit also takes '²' and '١٢'), never thousands of them
AUDIENCES = ("public", "members", "preview")  # who an index is for, and who a service serves: each allows those before it
PLAIN_RE = re.compile(r"^(?:network|phase|type):[a-z0-9]+(?:-[a-z0-9]+)*(?:,(?:network|phase|type):[a-z0-9]+(?:-[a-z0-9]+)*)*$")
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
    if not DIGITS_RE.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)


def _id(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name) or None
    if raw is not None and (len(raw) > 80 or not ID_RE.match(raw)):
        raise BadRequest(f"'{name}' must be an id such as 'equity' (lower-case letters, digits and hyphens).")
    return raw


def _vocab(request: Request, name: str, vocabulary: str) -> str | None:
    raw = _id(request, name)
    if raw is not None and raw not in VOCABULARIES[vocabulary]:
        raise BadRequest(f"'{name}' must be one of: {', '.join(VOCABULARIES[vocabulary])}.")
    return raw


def _plain(request: Request) -> tuple[str, ...]:
    """Soft filters the searcher removed, e.g. 'network:send,phase:primary' (their words are searched as words)."""
    raw = request.query_params.get("plain") or ""
    if raw and (len(raw) > 200 or not PLAIN_RE.match(raw)):
        raise BadRequest("'plain' must be soft filters such as 'network:send,phase:primary'.")
    return tuple(raw.split(",")) if raw else ()


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
        "phase": _vocab(request, "phase", "phases"),
        "approach": _vocab(request, "approach", "approach"),
        "brokerage": _vocab(request, "brokerage", "brokerage"),
        "year": str(_int(request, "year", 0, 1900, 2999) or "") or None,
        "literal": _plain(request),
        "page": _int(request, "page", 1, 1, MAX_PAGE),
        "size": _int(request, "size", 10, 1, MAX_PAGE_SIZE),
        "sort": sort,
    }


class IndexRefused(Exception):
    """The index is for readers this service was not started for (a members' or preview index)."""


def audience_of(info: dict[str, Any]) -> str:
    """Who an index is for, from its manifest: the preview's holds drafts, the members' build members-only entries."""
    return "preview" if info.get("preview") else "members" if info.get("members", True) else "public"


def refusal(index_dir: Path, info: dict[str, Any], serves: str) -> str | None:
    """Why a service started for `serves` may not answer from this index, or None when it may."""
    audience = audience_of(info)
    if AUDIENCES.index(audience) <= AUDIENCES.index(serves):
        return None
    if audience == "members":
        return (
            f"The index in {index_dir} is the members' index; this service was started for the public. Start it with --members."
        )
    return f"The index in {index_dir} is kb serve's preview index, with drafts in it: no search service may serve it."


class EngineHolder:
    """Opens the index on first use (it may not exist yet when `kb serve` starts)."""

    def __init__(self, index_dir: Path, fast: bool = True, serves: str = "public") -> None:
        self.index_dir = Path(index_dir)
        self.fast = fast
        self.serves = serves
        self.engine: SearchEngine | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchEngine:
        if self.engine is None:
            with self._lock:
                if self.engine is None:
                    self.engine = SearchEngine(self.index_dir, fast=self.fast)
        self.check(self.engine)
        return self.engine

    def check(self, engine: SearchEngine) -> None:
        """Raise IndexRefused when the index (perhaps swapped since the last request) is not for this service's readers."""
        why = refusal(self.index_dir, engine.info, self.serves)
        if why is not None:
            raise IndexRefused(why)


def _json(data: dict[str, Any], status: int = 200, cache: str = "no-store") -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": cache})


def create_app(
    index_dir: Path,
    site_dir: Path | None = None,
    cors_origins: tuple[str, ...] = (),
    *,
    fast: bool = True,
    serves: str = "public",
    hosts: tuple[str, ...] = (),
    search_page: Path | None = None,
) -> ASGIApp:
    """The ASGI app: /api/search and /api/health, then the static site (if given) for every other path.
    `fast`: posting lists read a block at a time (whoosh_internals.py); False gives the same answers, slower.
    `serves`: the readers it answers (AUDIENCES); an index for others is refused. `hosts`: if given, the only
    Host headers answered (kb serve: 127.0.0.1 and localhost with its port, against DNS rebinding).
    `search_page`: the built search page it fills for /search/?q= (server_page.py; default: the site's, or
    the one in the site beside the index), so a reader without JavaScript gets results too.
    Every response, a 500 included, carries the security headers (SecurityHeaders wraps the whole app)."""
    holder = EngineHolder(index_dir, fast, serves)
    answer_cache = (
        "public, max-age=60" if serves == "public" else "private, max-age=60"
    )  # members' answers: their own browser only

    def search(request: Request) -> JSONResponse:
        try:
            args = search_params(request)
            engine = holder.get()
            answer = engine.search(**args)
            holder.check(engine)  # the search may have opened an index swapped in since: judged again
        except BadRequest as exc:
            return _json({"error": str(exc)}, 400)
        except IndexMissing as exc:
            return _json({"error": "Search is not available right now.", "detail": str(exc)}, 503)
        except IndexRefused as exc:
            return _json({"error": "Search is not available right now.", "detail": str(exc)}, 503)
        return _json(answer, cache=answer_cache)

    page_file = search_page or server_page.default_page(index_dir, site_dir)

    def search_html(request: Request) -> Response:
        """The search page, with the answer rendered into it when the query string asks a search."""
        try:
            page_html = page_file.read_text(encoding="utf-8")
        except OSError:
            return HTMLResponse("<!doctype html><title>Not found</title><p>There is no search page here.</p>", 404)
        args = server_page.state(request.query_params)
        if not server_page.wants_answer(request.query_params):
            return HTMLResponse(page_html, headers={"Cache-Control": answer_cache})
        answer: dict[str, Any] | None = None
        error, status = "", 200
        try:
            params = search_params(request)
            engine = holder.get()
            answer = engine.search(**params)
            holder.check(engine)
        except BadRequest as exc:
            error, status = str(exc), 400
        except (IndexMissing, IndexRefused):
            answer, error, status = None, "Search is not available right now. Please try again later.", 503
        html = server_page.filled(page_html, answer, args, error)
        if html is None:  # a page built before the markers: as it is
            return HTMLResponse(page_html, headers={"Cache-Control": "no-store"})
        return HTMLResponse(html, status, headers={"Cache-Control": answer_cache if status == 200 else "no-store"})

    def health(request: Request) -> JSONResponse:
        try:
            return _json({"ok": True, "entries": holder.get().info.get("entries")})
        except (IndexMissing, IndexRefused) as exc:
            return _json({"ok": False, "error": str(exc)}, 503)

    def api_not_found(request: Request) -> JSONResponse:
        return _json({"error": "There is no such API address. Use /api/search?q=words."}, 404)

    routes: list[BaseRoute] = [
        Route("/api/search", search, methods=["GET", "HEAD"]),
        Route("/api/health", health),
        Route("/api/{rest:path}", api_not_found),
        Route("/search/", search_html, methods=["GET", "HEAD"]),
        Route("/search/index.html", search_html, methods=["GET", "HEAD"]),
    ]
    if site_dir is not None:
        routes.append(Mount("/", app=StaticFiles(directory=str(site_dir), html=True), name="site"))
    middleware = [Middleware(GZipMiddleware, minimum_size=500)]
    if cors_origins:
        middleware.insert(0, Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"]))
    app: ASGIApp = Starlette(routes=routes, middleware=middleware)
    if hosts:
        app = OnlyHosts(app, hosts)
    return SecurityHeaders(app)  # outside Starlette's own error handler, so its 500 gets the headers too


class OnlyHosts:
    """Answers only requests whose Host header is one of `hosts` (421 otherwise): a page on another site whose
    name was pointed at 127.0.0.1 (DNS rebinding) could otherwise read the preview's drafts."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app, self.hosts = app, {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1").lower()
            if host not in self.hosts:
                response = JSONResponse({"error": f"This service answers only at {' or '.join(sorted(self.hosts))}."}, 421)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


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
