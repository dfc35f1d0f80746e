"""The search service's HTTP limits, held to a real uvicorn over real sockets: a connection that sends no
complete header is closed, an idle kept-alive one too, and a request in time is answered as before."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kb.search.uvicorn_limits import protocol_with_header_timeout, server_options
from tests.browser.conftest import free_port

HEADER_TIMEOUT = 0.5
IDLE_TIMEOUT = 3
PATIENCE = 8.0  # how long a test waits for the server to close: far beyond both limits


def started(app, **limits) -> tuple[int, uvicorn.Server, threading.Thread]:
    """A real uvicorn with the service's limits (these tests' short ones), answering on a free loopback port."""
    chosen = free_port()
    options = server_options(header_timeout=HEADER_TIMEOUT, idle_timeout=IDLE_TIMEOUT, **limits)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=chosen, log_level="critical", lifespan="off", **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return chosen, server, thread


@pytest.fixture(scope="module")
def port():
    chosen, server, thread = started(Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))]), max_connections=50)
    yield chosen
    server.should_exit = True
    thread.join(5)


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server closes the connection (recv returns b"") within PATIENCE; False if it keeps it open."""
    sock.settimeout(PATIENCE)
    try:
        while True:
            data = sock.recv(4096)
            if data == b"":
                return True
    except TimeoutError:
        return False


def answer(sock: socket.socket) -> bytes:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    sock.settimeout(PATIENCE)
    received = b""
    while not received.endswith(b"ok"):
        received += sock.recv(4096)
    return received


def test_a_connection_that_sends_nothing_is_closed(port):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        assert closed_by_server(sock)


def test_a_header_that_never_ends_is_closed(port):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
        assert closed_by_server(sock)


def test_half_a_header_on_a_kept_alive_connection_is_closed(port):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        assert answer(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET / HTTP/1.1\r\n")
        assert closed_by_server(sock)


def test_a_kept_alive_connection_may_idle_longer_than_the_header_timeout(port):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        assert answer(sock).startswith(b"HTTP/1.1 200")
        time.sleep(HEADER_TIMEOUT * 3)  # idle, below the keep-alive limit: the header clock is not running
        assert answer(sock).startswith(b"HTTP/1.1 200")
        assert closed_by_server(sock)  # and then the idle limit closes it


def test_the_protocol_carries_its_timeout():
    assert protocol_with_header_timeout(2.5).header_timeout == 2.5
    options = server_options()
    assert options["timeout_keep_alive"] > 10 and options["limit_concurrency"] == 100  # longer than the proxy's 10 s


def test_a_stop_ends_an_answer_that_never_comes():
    """A replica asked to stop while an answer hangs still ends, after the stop timeout (uvicorn's default is
    to wait for ever, and the supervisor would never start it again)."""
    import asyncio

    async def hangs(request):
        await asyncio.sleep(3600)

    chosen, server, thread = started(Starlette(routes=[Route("/hang", hangs)]), stop_timeout=1)
    with socket.create_connection(("127.0.0.1", chosen)) as sock:
        sock.sendall(b"GET /hang HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)  # the request is being answered
        server.should_exit = True
        thread.join(PATIENCE)
        assert not thread.is_alive(), "the server still waits for the answer under way"
