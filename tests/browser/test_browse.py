"""Browsing in a real browser: keyboard routes from home to a case study, filters kept in the URL,
backlinks and related links (every page kind's axe scan and screenshots: test_every_page_kind.py)."""

from __future__ import annotations

import re

from tests.browser.conftest import assert_accessible, screenshot


def tab_to(pg, predicate_js: str, limit: int = 150) -> str:
    """Press Tab until the focused element matches `predicate_js` (a JS expression over `el`); return its href."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }})()"):
            return pg.evaluate("document.activeElement.getAttribute('href') || ''")
    raise AssertionError(f"Tab never reached an element matching {predicate_js}")


def test_keyboard_home_to_network_hub_to_case_study(page, site_url):
    page.goto(site_url)
    tab_to(page, "el.matches('main a[href$=\"networks/equity/\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/networks/equity/")
    assert page.locator("h1").inner_text() == "Equity Network"
    tab_to(page, "el.matches('.kb-hub a[href*=\"case-studies/\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/case-studies/[a-z0-9-]+/$"))
    assert page.locator(".kb-kicker .kb-type").inner_text().lower() == "case study"


def test_keyboard_home_to_case_study_through_a_filtered_listing(page, site_url):
    page.goto(site_url)
    tab_to(page, "el.matches('main a[href$=\"browse/\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/browse/")
    tab_to(page, "el.id === 'kb-filter-network'")
    for _ in range(30):  # choose a network with the arrow keys, as a keyboard user does
        if page.evaluate("document.activeElement.value") == "equity":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "equity"
    page.wait_for_url(re.compile(r".*browse/\?network=equity$"))
    page.wait_for_selector("[data-kb-results] .kb-card")
    assert "match" in page.locator("[data-kb-status]").inner_text()
    href = tab_to(page, "el.matches('[data-kb-results] a[href*=\"case-studies/\"]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + href.split("/", 3)[-1])
    assert "Equity Network" in page.locator(".kb-facts").inner_text()


def cards_shown(pg) -> int:
    return pg.locator("[data-kb-results]:not([hidden]) .kb-card").count()


def test_filters_change_the_url_survive_reload_and_back(page, site_url):
    page.goto(site_url + "browse/")
    static_count = page.locator("[data-kb-static] .kb-card").count()
    assert static_count > 0
    assert page.locator("[data-kb-more]").is_hidden() and page.locator("[data-kb-results]").is_hidden()
    page.select_option("#kb-filter-network", "equity")
    page.wait_for_url("**/browse/?network=equity")
    page.wait_for_selector("[data-kb-results] .kb-card")
    equity = cards_shown(page)
    dates = page.locator("[data-kb-results] .kb-card time").all_inner_texts()
    assert dates and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", d) for d in dates), dates  # as the static cards write them
    option = page.locator("#kb-filter-network option[value=equity]").inner_text()
    assert option.endswith(f"({equity})")  # the facet count agrees with what is shown
    assert 0 < equity < static_count
    screenshot(page, "listing-filtered-1280")

    page.reload()
    page.wait_for_selector("[data-kb-results] .kb-card")
    assert page.locator("#kb-filter-network").input_value() == "equity"
    assert cards_shown(page) == equity

    page.select_option("#kb-filter-year", "2026")
    page.wait_for_url(re.compile(r".*network=equity&year=2026$"))
    page.wait_for_function("document.querySelector('[data-kb-status]').textContent.includes('match')")
    both = cards_shown(page)
    assert both <= equity

    page.go_back()
    page.wait_for_url("**/browse/?network=equity")
    page.wait_for_function("document.querySelector('#kb-filter-year').value === ''")
    assert cards_shown(page) == equity
    page.go_back()
    page.wait_for_url(re.compile(r".*/browse/$"))
    page.wait_for_selector("[data-kb-static]:not([hidden])")
    assert page.locator("#kb-filter-network").input_value() == ""
    assert page.locator("[data-kb-results]").is_hidden()


def test_unfiltered_first_page_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site_url + "browse/")
    assert pg.locator("[data-kb-static] .kb-card").count() > 0
    assert pg.locator("[data-kb-filters]").is_hidden()
    context.close()


def test_backlinks_and_related_links_appear(page, site_url):
    page.goto(site_url + "register/talk-routines/")
    backlinks = page.locator(".kb-backlinks a")
    assert "research/2026-03-oracy-review/" in [a.get_attribute("href").split("../")[-1] for a in backlinks.all()]
    related = page.locator(".kb-related a")
    assert 1 <= related.count() <= 5
    first_title = related.first.inner_text()
    related.first.click()
    assert page.locator("h1").inner_text() == first_title


def test_referenced_by_shows_the_sentence_each_link_is_in(phone, site_url):
    phone.goto(site_url + "case-studies/restorative-reintegration/")
    items = phone.locator(".kb-backlinks li")
    said = {item.locator("a").inner_text(): item.locator(".kb-backlinks__context").inner_text() for item in items.all()}
    context = said["Restorative conversations training for pastoral staff"]
    assert context.startswith("The course trained staff") and "Restorative reintegration after suspension" in context
    assert said["Equity Network meeting, 8 October 2026"].startswith("The partnership inclusion lead presented")
    assert items.locator(".kb-backlinks__context strong").count() == len(said)
    assert_accessible(phone)
    screenshot(phone, "backlinks-context-375")


def test_breadcrumbs_lead_back_to_the_listing(page, site_url):
    page.goto(site_url + "case-studies/transition-coaching/")
    crumbs = page.locator(".kb-breadcrumbs li")
    assert [c.inner_text() for c in crumbs.all()][:2] == ["Home", "Case studies"]
    page.locator(".kb-breadcrumbs a", has_text="Case studies").click()
    page.wait_for_url("**/case-studies/")
    assert page.locator("h1").inner_text() == "Case studies"


def test_friendly_404(page, site_url):
    response = page.goto(site_url + "no-such-page/")
    assert response.status == 404
    page.goto(site_url + "404.html")
    assert "could not find" in page.locator("h1").inner_text()
    assert page.locator("main input[name=q]").count() == 1


def test_home_search_box_is_a_labelled_get_form_to_search(page, site_url):
    page.goto(site_url)
    form = page.locator("main form.kb-home-search")
    assert form.get_attribute("method") == "get" and form.get_attribute("action").endswith("search/")
    assert form.get_by_label("Search the shared learning").get_attribute("name") == "q"  # the box inside the named form


def test_filtered_listing_is_accessible_on_a_phone(phone, site_url):
    phone.goto(site_url + "browse/?network=equity")
    phone.wait_for_selector("[data-kb-results] .kb-card")
    screenshot(phone, "browse-listing-filtered-375")
    assert_accessible(phone)
