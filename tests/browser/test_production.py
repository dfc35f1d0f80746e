"""The site behind the production web server (scripts/production), in a real browser: the public site under
the policy sent as a header, and a member signing in, finding a members-only entry by keyboard on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot
from tests.browser.test_search import titles, wait_for_results
from tests.live.stack import MEMBER, MEMBERS_ENTRY, MEMBERS_MARK, PASSWORD


def policy_violations(pg) -> list[str]:
    found: list[str] = []
    pg.on("console", lambda msg: found.append(msg.text) if "Content Security Policy" in msg.text else None)
    return found


@pytest.fixture
def member_phone(browser):
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        http_credentials={"username": MEMBER, "password": PASSWORD},
    )
    yield context.new_page()
    context.close()


def test_public_pages_work_under_the_header_policy(page, phone, production_stack):
    for pg, width in ((page, "desktop"), (phone, "phone")):
        violations = policy_violations(pg)
        response = pg.goto(production_stack.url("case-studies/transition-coaching/"))
        assert response.status == 200 and "frame-ancestors" in response.headers["content-security-policy"]
        pg.wait_for_load_state("networkidle")
        expect(pg.locator("h1").first).to_have_text("Coaching pairs across the Year 6 to Year 7 transition")
        assert violations == []
        screenshot(pg, f"production-public-{width}")
        assert_accessible(pg)
    # the theme's inline scripts ran under both policies: the palette toggle works
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label[for^='__palette']").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme


def test_without_signing_in_the_members_site_shows_nothing(page, production_stack):
    """The browser is asked for a name and password (a headless one has none to give, so the navigation fails)."""
    with pytest.raises(PlaywrightError, match="ERR_INVALID_AUTH_CREDENTIALS"):
        page.goto(production_stack.url(f"members/{MEMBERS_ENTRY}"))
    # Chromium goes on to its own error page: read what is shown with locators, which wait out that navigation
    page.wait_for_load_state()
    expect(page.locator("body")).not_to_contain_text(MEMBERS_MARK)
    expect(page.locator("h1")).to_have_count(0)
    answer = page.request.get(production_stack.url(f"members/{MEMBERS_ENTRY}"))
    assert answer.status == 401 and answer.headers["www-authenticate"] == 'Basic realm="Members"' and answer.body() == b""


def test_a_member_signs_in_and_finds_a_members_only_entry_by_keyboard_on_a_phone(member_phone, production_stack):
    pg = member_phone
    violations = policy_violations(pg)
    response = pg.goto(production_stack.url("members/"))
    assert response.status == 200 and response.headers["cache-control"] == "private, no-cache"
    box = pg.locator("#kb-header-q")
    box.wait_for()
    box.focus()
    pg.keyboard.type(MEMBERS_MARK)
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(rf"/members/search/\?q={MEMBERS_MARK}"))
    wait_for_results(pg)
    assert titles(pg) == ["Peace and Community Safety Network meeting, 12 November 2026 (members only)"]
    screenshot(pg, "production-members-search-phone")
    assert_accessible(pg)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    pg.locator(".kb-result__title a").first.focus()
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(rf"/members/{MEMBERS_ENTRY}$"))
    expect(pg.locator(".kb-badge--members")).to_have_text("Members only")
    assert MEMBERS_MARK in pg.content()
    screenshot(pg, "production-members-entry-phone")
    assert_accessible(pg)
    assert violations == []


def test_the_members_site_on_a_desktop(browser, production_stack):
    context = browser.new_context(viewport=DESKTOP, http_credentials={"username": MEMBER, "password": PASSWORD})
    pg = context.new_page()
    try:
        violations = policy_violations(pg)
        assert pg.goto(production_stack.url(f"members/{MEMBERS_ENTRY}")).status == 200
        pg.wait_for_load_state("networkidle")
        assert MEMBERS_MARK in pg.content()
        screenshot(pg, "production-members-entry-desktop")
        assert_accessible(pg)
        assert violations == []
    finally:
        context.close()


def test_without_javascript_the_search_page_has_its_results_behind_the_web_server(browser, production_stack):
    """Caddy sends /search/?q= to a search service, which renders the results into the page: public entries only,
    under the site's header policy; a member's /members/search/?q= reaches the members' service."""
    from tests.live.stack import DRAFT_MARK

    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    pg = context.new_page()
    try:
        response = pg.goto(production_stack.url("search/?q=attendance"))
        assert response.status == 200
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "public, max-age=60" and "server" not in response.headers
        expect(pg.locator(".kb-result")).to_have_count(10)
        text = pg.locator("main").inner_text()
        assert DRAFT_MARK not in text and MEMBERS_MARK not in text
        pg.locator(".kb-result__title a").first.click()
        expect(pg.locator(".kb-kicker")).to_be_visible()
        # the members' words find nothing on the public site; the plain page without a query is the static file
        pg.goto(production_stack.url(f"search/?q={MEMBERS_MARK}"))
        expect(pg.locator("[data-kb-status]")).to_have_text(re.compile(r"^No entries found\."))
        static = pg.goto(production_stack.url("search/"))
        assert static.headers["cache-control"] == "public, max-age=300"
    finally:
        context.close()
    members = browser.new_context(
        viewport=DESKTOP, java_script_enabled=False, http_credentials={"username": MEMBER, "password": PASSWORD}
    )
    pg = members.new_page()
    try:
        response = pg.goto(production_stack.url(f"members/search/?q={MEMBERS_MARK}"))
        assert response.status == 200 and response.headers["cache-control"] == "private, max-age=60"
        assert titles(pg) == ["Peace and Community Safety Network meeting, 12 November 2026 (members only)"]
        screenshot(pg, "production-nojs-members-search-desktop")
        pg.locator(".kb-result__title a").first.click()
        pg.wait_for_url(re.compile(rf"/members/{MEMBERS_ENTRY}$"))
    finally:
        members.close()
    assert production_stack.process.poll() is None
