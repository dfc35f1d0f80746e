"""With scripts off (a phone with JavaScript disabled): a listing offers its filters as links to the static
per-network, per-type and per-tag pages, and the search page served by the search service has its results in it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot

DRAFT_MARK = "Zanzibarquill"
MEMBERS_MARK = "Quokkamembers"


@pytest.fixture(params=[("phone", PHONE), ("desktop", DESKTOP)], ids=["375", "1280"])
def no_js(request, browser):
    """A page in a context with JavaScript disabled, at phone or desktop width; yields (page, width name)."""
    name, viewport = request.param
    context = browser.new_context(viewport=viewport, java_script_enabled=False, is_mobile=name == "phone")
    yield context.new_page(), name
    context.close()


def focused_href(pg) -> str:
    """Locators only: page.evaluate never returns in a page whose scripts are off."""
    focused = pg.locator(":focus")
    return (focused.get_attribute("href") or "") if focused.count() else ""


def assert_accessible_as_shown_without_scripts(browser, url: str, viewport: dict) -> None:
    """axe runs as a script, which a page with scripts off cannot run: it checks the same page in a context with
    scripts on, the document rewritten as a browser without them shows it (no <script>, <noscript> unwrapped)."""
    context = browser.new_context(viewport=viewport)
    pg = context.new_page()

    def without_scripts(route):
        response = route.fetch()
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", response.text(), flags=re.S)
        html = html.replace("<noscript>", "").replace("</noscript>", "")
        route.fulfill(response=response, body=html)

    try:
        pg.route(url, without_scripts)
        pg.goto(url)
        assert pg.locator("script").count() == 0
        assert_accessible(pg)
    finally:
        context.close()


def test_a_listing_offers_working_filter_links(no_js, site_url):
    pg, width = no_js
    pg.goto(site_url + "browse/")
    links = pg.locator(".kb-browse-by")
    expect(links).to_be_visible()
    expect(pg.locator("[data-kb-filters]")).to_be_hidden()  # the form that needs the script stays hidden
    expect(pg.get_by_text("Filters need JavaScript")).to_have_count(0)
    expect(links.get_by_role("heading", name="Network")).to_be_visible()
    expect(links.get_by_role("link", name="Case studies")).to_be_visible()
    expect(links.get_by_role("link", name="Attendance", exact=True)).to_be_visible()
    screenshot(pg, f"nojs-browse-{width}")
    assert_accessible_as_shown_without_scripts(pg.context.browser, site_url + "browse/", pg.viewport_size)
    # each kind of link leads to its page
    for name, heading in (("Equity Network", "Equity Network"), ("Case studies", "Case studies")):
        pg.goto(site_url + "browse/")
        pg.locator(".kb-browse-by").get_by_role("link", name=name, exact=True).click()
        expect(pg.locator("h1").first).to_have_text(heading)
    pg.goto(site_url + "browse/")
    pg.locator(".kb-browse-by").get_by_role("link", name="Attendance", exact=True).click()
    assert pg.url.endswith("/tags/attendance/")
    expect(pg.locator("h1").first).to_contain_text("Attendance")
    # a type's listing links to the other listings, not to itself
    pg.goto(site_url + "case-studies/")
    by = pg.locator(".kb-browse-by")
    expect(by.get_by_role("link", name="Browse everything")).to_be_visible()
    expect(by.get_by_role("link", name="Case studies", exact=True)).to_have_count(0)


def test_search_results_without_javascript_from_the_search_service(no_js, site_url):
    pg, width = no_js
    pg.goto(site_url + "search/")
    pg.locator("#kb-search-q").fill("attendance")
    pg.locator("#kb-search-q").press("Enter")  # the plain GET form
    pg.wait_for_url(re.compile(r".*/search/\?q=attendance"))
    expect(pg.locator("[data-kb-status]")).to_contain_text("entries found")
    results = pg.locator(".kb-result__title a")
    expect(results).to_have_count(10)
    expect(pg.locator("#kb-search-q")).to_have_value("attendance")
    body = pg.locator("main").inner_text()
    assert DRAFT_MARK not in body and MEMBERS_MARK not in body
    screenshot(pg, f"nojs-search-{width}")
    assert_accessible_as_shown_without_scripts(pg.context.browser, pg.url, pg.viewport_size)
    # the keyboard reaches the first result soon after the search box (the closed filters are passed over)
    pg.locator("#kb-search-q").focus()
    first = results.first.get_attribute("href")
    presses = 0
    while focused_href(pg) != first:
        assert presses < 6, f"{presses} Tabs from the search box have not reached the first result"
        pg.keyboard.press("Tab")
        presses += 1
    title = results.first.inner_text()
    pg.keyboard.press("Enter")
    expect(pg.locator("h1").first).to_have_text(title)
    pg.go_back()
    # a filter is a link, and the next page is a link
    pg.locator("summary", has_text="Filters").click()
    pg.locator(".kb-facet__option", has_text="Equity Network").click()
    expect(pg.locator("[data-kb-scope]")).to_contain_text("Searching in Equity Network only.")
    assert "network=equity" in pg.url
    pg.goto(site_url + "search/?q=attendance")
    pg.get_by_role("link", name="Next page").click()
    expect(pg.locator("[data-kb-status]")).to_contain_text("page 2 of")


def test_a_query_with_a_script_in_it_is_shown_as_text(no_js, site_url):
    pg, _ = no_js
    hostile = '<script>document.title="owned"</script><img src=x onerror=alert(1)>attendance'
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.goto(site_url + "search/")
    theme_scripts = pg.locator("main script").count()  # Material's own, in every page
    pg.locator("#kb-search-q").fill(hostile)
    pg.locator("#kb-search-q").press("Enter")
    expect(pg.locator("#kb-search-q")).to_have_value(hostile)
    expect(pg.locator("main img[src=x]")).to_have_count(0)
    expect(pg.locator("main script")).to_have_count(theme_scripts)
    assert dialogs == []


def test_on_a_static_host_the_page_says_plainly_that_search_needs_the_service(no_js, static_site_url):
    pg, width = no_js
    pg.goto(static_site_url + "search/?q=attendance")
    expect(pg.locator(".kb-result")).to_have_count(0)
    note = pg.locator("main noscript p")  # Playwright's get_by_text does not look inside <noscript>
    expect(note).to_be_visible()
    expect(note).to_contain_text("Without JavaScript, the Search button works only where this site runs its search service")
    pg.get_by_role("link", name="browse every entry").click()
    expect(pg.locator("h1").first).to_have_text("Browse everything")
    if width == "phone":
        pg.goto(static_site_url + "search/")
        screenshot(pg, "nojs-search-static-phone")


def test_the_actions_page_says_its_filters_need_scripts_and_jumps_to_each_network(no_js, site_url):
    pg, width = no_js
    pg.goto(site_url + "actions/")
    way_on = pg.locator("noscript nav.kb-browse-by")
    expect(way_on).to_be_visible()
    expect(way_on.locator("h2")).to_have_text("Without JavaScript the filters above cannot run")
    links = way_on.locator("a")
    assert links.count() >= 2
    for i in range(links.count()):
        link = links.nth(i)
        target = pg.locator(link.get_attribute("href"))
        expect(target).to_have_count(1)
        expect(target).to_contain_text(link.inner_text())  # the group heading of that network
    links.first.click()
    assert pg.url.endswith("#kb-network-1")
    if width == "phone":
        screenshot(pg, "nojs-actions-phone")
    assert_accessible_as_shown_without_scripts(pg.context.browser, site_url + "actions/", pg.viewport_size)


def test_the_home_and_hub_search_boxes_find_things_without_javascript(no_js, site_url):
    pg, _ = no_js
    pg.goto(site_url)
    pg.locator("#kb-home-q").fill("coaching")
    pg.locator("#kb-home-q").press("Enter")
    expect(pg.locator(".kb-result").first).to_be_visible()
    expect(pg.locator("#kb-search-q")).to_have_value("coaching")
    pg.goto(site_url + "networks/equity/")
    pg.locator("#kb-hub-q").fill("attendance")
    pg.locator("#kb-hub-q").press("Enter")
    expect(pg.locator("[data-kb-scope]")).to_contain_text("Searching in Equity Network only.")
    metas = pg.locator(".kb-result__meta").all_inner_texts()
    assert metas and all("Equity Network" in meta for meta in metas)
    pg.get_by_role("link", name="Search all networks").click()
    expect(pg.locator("[data-kb-scope]")).to_be_hidden()
    assert "network=" not in pg.url and "q=attendance" in pg.url
