"""Limits for the search service's HTTP server (uvicorn): how long a request's headers may take, how long
an idle connection is kept, how many connections are served at once, how long a stop may wait.

The header clock starts when a connection opens, and on a kept-alive connection when the next
request's first bytes arrive (until then uvicorn's keep-alive timeout decides how long it may idle).

uvicorn closes an idle kept-alive connection (`timeout_keep_alive`) and answers 503 beyond
`limit_concurrency`, but it has no header read timeout: a client that connects and sends half a
request line holds the connection for ever. The web server in front has one for the public (Caddy's
read_header); this adds one in the service itself, so nothing on this machine can hold its connections
open either. It is the only place that reaches into uvicorn's HTTP protocol (H11Protocol: its
`conn`, `loop` and `transport`, and the moment a response completes); tests/search/test_uvicorn_limits.py
holds it to a real uvicorn over real sockets.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds from connecting (or from the previous answer) to a complete request header
IDLE_TIMEOUT = 15  # seconds an idle kept-alive connection is kept; longer than the proxy's own (caddy.py: keepalive 10s)
MAX_CONNECTIONS = 100  # beyond this many connections or requests at once, new requests are answered 503
STOP_TIMEOUT = 10  # seconds a stop (SIGTERM) waits for answers under way before ending them; the units allow 15


def protocol_with_header_timeout(seconds: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing any connection whose request header is not complete within `seconds`."""

    class HeaderTimeoutProtocol(H11Protocol):
        header_timeout = seconds

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm_header_timer()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # the header is in: the request is being answered
                self.disarm_header_timer()
            elif self.header_timer is None:  # part of a header on a kept-alive connection: the clock starts now
                self.arm_header_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            # part of the next header arrived while this answer was being sent (h11 kept it waiting)
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                self.arm_header_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self.disarm_header_timer()
            super().connection_lost(exc)

        def arm_header_timer(self) -> None:
            self.disarm_header_timer()
            self.header_timer = self.loop.call_later(self.header_timeout, self.header_timed_out)

        def disarm_header_timer(self) -> None:
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def header_timed_out(self) -> None:
            self.header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutProtocol


def server_options(
    header_timeout: float = HEADER_TIMEOUT,
    idle_timeout: int = IDLE_TIMEOUT,
    max_connections: int = MAX_CONNECTIONS,
    stop_timeout: int = STOP_TIMEOUT,
) -> dict[str, Any]:
    """Keyword arguments for uvicorn.run / uvicorn.Config. Without `timeout_graceful_shutdown` uvicorn waits
    for ever for its connections to close, and a replica asked to stop may never end, nor be started again: seen
    about once in 20 stops under load, a connection accepted as the stop began is never told to close, and the
    web server's health check every 2 s keeps it from ever being idle (tests/live/test_operations.py)."""
    return {
        "http": protocol_with_header_timeout(header_timeout),
        "timeout_keep_alive": idle_timeout,
        "limit_concurrency": max_connections,
        "timeout_graceful_shutdown": stop_timeout,
    }
