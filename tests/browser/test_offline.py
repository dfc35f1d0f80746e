"""Offline, as on patchy school Wi-Fi: the service worker keeps the pages a reader opened and the search page;
with the network off in chromium a visited page reloads, search still finds entries, and a page never opened
shows the site's offline page with a way home, not the browser's error. The search service's answers are never kept."""

from __future__ import annotations

import contextlib

import pytest

from .conftest import CHROMIUM_ARGS, DESKTOP, PHONE, assert_accessible, screenshot, serve_site_with_search, until

ENTRY = "case-studies/transition-coaching/"
NEVER_OPENED = "research/"


@pytest.fixture(scope="module")
def offline_site(public_site):
    """A server of its own: service workers and their caches belong to an origin, so no other test's port is touched."""
    url, stop = serve_site_with_search(public_site)
    yield url
    stop()


def controlled(pg) -> bool:
    return pg.evaluate("navigator.serviceWorker.controller !== null")


def kept_urls(pg) -> list[str]:
    return pg.evaluate(
        """async () => { const out = [];
             for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(r.url);
             return out; }"""
    )


def visit_then_go_offline(context, base: str):
    pg = context.new_page()
    refused = []
    pg.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    pg.goto(base)
    pg.evaluate("navigator.serviceWorker.ready.then(() => true)")
    until(pg, lambda: controlled(pg), what="the service worker taking control of the page")  # once it is active
    pg.goto(base + ENTRY)
    assert controlled(pg)
    pg.goto(base + "search/?q=coaching")  # online: the search service answers (never kept)
    pg.locator("[data-kb-results] li").first.wait_for(timeout=10_000)
    for _ in range(50):  # the page's own files are handed to the worker after it is ready
        if any(url.endswith("kb-offline.js") for url in kept_urls(pg)):
            break
        pg.wait_for_timeout(100)
    assert refused == [], "the site's policy refused the worker or its script"
    context.set_offline(True)
    return pg


@pytest.fixture
def offline_context(browser, offline_site):
    context = browser.new_context(viewport=DESKTOP)
    yield context
    context.close()


def test_a_visited_page_reloads_with_the_network_off(offline_context, offline_site):
    pg = visit_then_go_offline(offline_context, offline_site)
    pg.goto(offline_site + ENTRY)
    pg.reload()
    assert pg.locator("h1").first.inner_text() == "Coaching pairs across the Year 6 to Year 7 transition"
    assert pg.locator("link[rel=stylesheet]").count() > 0
    # styled from the cache: Material's own stylesheet was kept, so the header is coloured, not bare
    assert pg.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    pg.goto(offline_site)  # the home page, the first page opened, before the worker ran
    assert pg.locator("h1").first.is_visible()
    screenshot(pg, "offline-home-desktop")


def test_the_search_page_opens_and_finds_offline(offline_context, offline_site):
    pg = visit_then_go_offline(offline_context, offline_site)
    pg.goto(offline_site + "search/?q=transition")
    results = pg.locator("[data-kb-results] li")
    results.first.wait_for(timeout=10_000)
    assert "Transition" in pg.locator("main").inner_text()
    screenshot(pg, "offline-search-desktop")


def test_a_page_never_opened_shows_the_offline_page_with_a_way_home(offline_context, offline_site):
    pg = visit_then_go_offline(offline_context, offline_site)
    response = pg.goto(offline_site + NEVER_OPENED)
    assert response is not None and response.ok
    assert pg.locator("h1").inner_text() == "You are offline"
    home = pg.get_by_role("link", name="Go to the home page")
    assert home.get_attribute("href") == "/"
    assert_accessible(pg)
    screenshot(pg, "offline-page-desktop")
    pg.keyboard.press("Tab")  # the first stop of the keyboard is the way home
    assert pg.evaluate("document.activeElement.textContent") == "Go to the home page"
    pg.keyboard.press("Enter")
    pg.wait_for_url(offline_site)
    assert pg.locator("h1").first.is_visible()


def test_the_search_service_and_editor_are_never_kept(offline_context, offline_site):
    pg = visit_then_go_offline(offline_context, offline_site)
    kept = kept_urls(pg)
    assert any(url.endswith("/" + ENTRY) for url in kept)
    assert any(url.endswith("/search/") for url in kept)
    assert any(url.endswith("/search/fallback.json") for url in kept)
    assert not [url for url in kept if "/api/" in url or "/admin/" in url]


def test_the_offline_page_on_a_phone(browser, offline_site):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        pg = visit_then_go_offline(context, offline_site)
        pg.goto(offline_site + NEVER_OPENED)
        assert pg.locator("h1").inner_text() == "You are offline"
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(pg)
        screenshot(pg, "offline-page-phone")
        pg.emulate_media(color_scheme="dark")
        assert pg.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(30, 33, 41)"
        assert_accessible(pg)
        screenshot(pg, "offline-page-phone-dark")
        pg.goto(offline_site + ENTRY)
        screenshot(pg, "offline-entry-phone")
    finally:
        context.close()


def test_chromium_args_do_not_disable_service_workers():
    assert not any("service-worker" in arg.lower() for arg in CHROMIUM_ARGS)


def test_a_new_release_replaces_the_kept_files(browser, public_site, tmp_path):
    """The worker's cache is named after the build: when a new sw.js arrives, the old release's copies are deleted."""
    import re
    import shutil

    from .conftest import serve_directory

    served = tmp_path / "site"
    shutil.copytree(public_site, served)
    url, stop = serve_directory(served)
    context = browser.new_context(viewport=DESKTOP)
    try:
        pg = context.new_page()
        pg.goto(url)
        until(pg, lambda: controlled(pg), what="the service worker taking control of the page")
        worker = (served / "sw.js").read_text(encoding="utf-8")
        old = re.search(r'var VERSION = "([0-9a-f]+)"', worker)[1]
        assert pg.evaluate("caches.keys()") == [f"kb / {old}"]
        (served / "sw.js").write_text(worker.replace(old, "0" * len(old)), encoding="utf-8")
        pg.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true)")
        until(pg, lambda: pg.evaluate("caches.keys()") == ["kb / " + "0" * len(old)], what="the new version's cache alone")
    finally:
        context.close()
        stop()


def test_behind_the_production_server_members_pages_are_never_kept(browser, production_stack):
    """Served as in production (Caddy, the policy as a header, the members' site under members/ on the same origin):
    the public site works offline, and a member's pages are not readable once the network is gone."""
    from playwright.sync_api import Error as PlaywrightError

    from tests.live.stack import MEMBER, MEMBERS_ENTRY, MEMBERS_MARK, PASSWORD

    context = browser.new_context(viewport=DESKTOP, http_credentials={"username": MEMBER, "password": PASSWORD})
    try:
        pg = context.new_page()
        manifest = pg.request.get(production_stack.url("manifest.webmanifest"))
        assert manifest.ok and manifest.headers.get("content-type", "").startswith("application/manifest+json"), manifest.headers
        pg = visit_then_go_offline(context, production_stack.url(""))
        context.set_offline(False)
        assert pg.goto(production_stack.url(f"members/{MEMBERS_ENTRY}")).status == 200
        assert MEMBERS_MARK in pg.content()
        pg.wait_for_timeout(500)  # time for any worker to have kept what it would keep
        assert [url for url in kept_urls(pg) if "/members/" in url] == []
        context.set_offline(True)
        pg.goto(production_stack.url(ENTRY))
        assert pg.locator("h1").first.inner_text() == "Coaching pairs across the Year 6 to Year 7 transition"
        with contextlib.suppress(PlaywrightError):  # the browser's own offline error: nothing was kept to show
            pg.goto(production_stack.url(f"members/{MEMBERS_ENTRY}"))
        for _ in range(50):  # the browser may still be putting up its own error page: read it once it stands
            try:
                shown = pg.content()
                break
            except PlaywrightError:
                pg.wait_for_timeout(100)
        else:
            shown = pg.content()
        assert MEMBERS_MARK not in shown
    finally:
        context.close()
