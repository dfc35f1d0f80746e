"""Browser fixtures: the public site served on a free local port, Debian's chromium via Playwright,
an axe accessibility check and screenshots saved for people to look at."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_directory(directory: Path):
    """A static server in a thread; returns (base_url, stop)."""
    port = free_port()
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{port}/", server.shutdown


def serve_site_with_search(site_dir: Path):
    """The site and /api/search from one process (kb.search.service), as in production; returns (base_url, stop)."""
    from kb.search.index import index_dir_for
    from kb.search.service import create_app, serve_in_thread

    port = free_port()
    stop = serve_in_thread(create_app(index_dir_for(site_dir), site_dir), "127.0.0.1", port)
    return f"http://127.0.0.1:{port}/", stop


@pytest.fixture(scope="session")
def site_url(public_site):
    """Base URL (ending in /) of the public site with its search API, served for the whole session."""
    url, stop = serve_site_with_search(public_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def static_site_url(public_site):
    """The public site on a plain static server (no search API), as on static hosting."""
    url, stop = serve_directory(public_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    pg = context.new_page()
    yield pg
    context.close()


def screenshot(pg, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ for review."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def until(pg, check, seconds: float = 10, what: str = ""):
    """The first truthy value of `check` (a JavaScript expression, or a Python callable), polled every 50 ms; fails
    naming `what` (or the expression) if it is never true. wait_for_function would need 'unsafe-eval', which the
    site's CSP refuses."""
    for _ in range(int(seconds * 20)):
        value = pg.evaluate(check) if isinstance(check, str) else check()
        if value:
            return value
        pg.wait_for_timeout(50)
    raise AssertionError(f"never true within {seconds} s: {what or check}")


EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


def axe_violations(pg, impacts=("serious", "critical")) -> list[str]:
    """Serious or critical accessibility violations on the current page, as readable lines.

    Measured once the page has settled: Material fades its tabs back in after a full-page screenshot
    resizes the window, and axe judged contrast half-way through the fade in one CI run."""
    from axe_playwright_python.sync_playwright import Axe

    for _ in range(100):  # at most 5 s; wait_for_function would need 'unsafe-eval', which the site's CSP refuses
        if not pg.evaluate("document.getAnimations().some(a => a.playState === 'running')"):
            break
        pg.wait_for_timeout(50)
    results = Axe().run(pg)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]


def assert_accessible(pg) -> None:
    found = axe_violations(pg)
    assert not found, "axe found serious or critical violations:\n" + "\n".join(found)
