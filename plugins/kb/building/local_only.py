"""`kb serve` answers only to its own address: the preview shows drafts and members-only entries.

Why: a web page on another site can make the browser ask http://127.0.0.1:8000/ through a name of its
own that it points at 127.0.0.1 (DNS rebinding); the request then carries that name in its Host header.
So the preview answers only requests for 127.0.0.1 or localhost with its port (421 otherwise). The
preview's search API (search/service.py, OnlyHosts) does the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def local_hosts(port: int) -> tuple[str, ...]:
    """The Host headers a browser sends for the preview on this port."""
    return (f"127.0.0.1:{port}", f"localhost:{port}")


def only_local(app: WsgiApp, port: int) -> WsgiApp:
    """The WSGI app, answering only requests whose Host header is 127.0.0.1 or localhost with this port."""
    allowed = set(local_hosts(port))

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_HOST", "").lower() not in allowed:
            body = f"This preview answers only at http://127.0.0.1:{port}/ or http://localhost:{port}/.\n".encode()
            start_response(
                "421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
            )
            return [body]
        return app(environ, start_response)

    return guarded
