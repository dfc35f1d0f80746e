"""Search in a real browser: a misspelt query on a phone, keyboard filters, there and back, fallback, escaping."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot


def wait_for_results(pg):
    """Locator waits only: the pages' CSP forbids the eval that wait_for_function(string) needs."""
    pg.locator("[data-kb-status]").filter(has_text=re.compile(r"found|No entries")).wait_for()


def titles(pg) -> list[str]:
    return pg.locator(".kb-result__title").all_inner_texts()


def test_misspelt_query_on_a_phone_filter_with_keyboard_open_and_come_back(phone, site_url):
    phone.goto(site_url)
    box = phone.locator("#kb-header-q")
    box.wait_for()
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= 375
    assert box.bounding_box()["width"] >= 180  # the box takes the truncated site name's place on phones
    expect(phone.locator(".md-header__title")).to_be_hidden()
    box.fill("safegaurding")
    box.press("Enter")
    phone.wait_for_url(re.compile(r"/search/\?q=safegaurding"))
    wait_for_results(phone)
    assert "Testing AI tools for lesson planning, with a sceptical eye" in titles(phone)[:3]
    assert "Including results for safeguarding" in phone.locator("[data-kb-notice]").inner_text()
    assert phone.locator(".kb-result mark").count() >= 1
    screenshot(phone, "search-phone-misspelt")
    assert_accessible(phone)
    # no sideways scrolling at 375 px
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    before = phone.locator(".kb-result").count()
    phone.locator("[data-kb-filters] > summary").focus()
    if phone.locator("[data-kb-filters]").get_attribute("open") is None:
        phone.keyboard.press("Enter")
    for _ in range(40):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.getAttribute('data-facet')") == "network":
            break
    focused_network = phone.evaluate("document.activeElement.getAttribute('data-value')")
    assert focused_network
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"network={focused_network}"))
    wait_for_results(phone)
    chosen = phone.locator(f'[data-facet="network"][data-value="{focused_network}"]')
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(chosen).to_be_focused()
    filtered = titles(phone)
    assert 1 <= len(filtered) <= before
    screenshot(phone, "search-phone-filtered")
    assert_accessible(phone)

    first = phone.locator(".kb-result__title a").first
    first.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/(case-studies|networks|minutes|register|research|summaries)/"))
    assert phone.locator("h1").first.inner_text() == filtered[0]
    phone.go_back()
    phone.wait_for_url(re.compile(rf"q=safegaurding.*network={focused_network}|network={focused_network}.*q=safegaurding"))
    wait_for_results(phone)
    assert titles(phone) == filtered
    assert phone.locator("#kb-search-q").input_value() == "safegaurding"
    assert phone.locator(f'[data-facet="network"][data-value="{focused_network}"]').get_attribute("aria-pressed") == "true"
    screenshot(phone, "search-phone-back")


def test_desktop_search_synonym_and_paging(page, site_url):
    page.goto(site_url + "search/?q=knife+crime")
    wait_for_results(page)
    assert "Restorative reintegration after suspension" in titles(page)[:2]
    expect(page.locator(".md-header__title")).to_be_visible()  # wider screens keep the site name beside the box
    assert page.locator("[data-kb-filters]").get_attribute("open") is not None
    screenshot(page, "search-desktop-synonym")
    assert_accessible(page)
    page.goto(site_url + "search/?q=network&sort=newest")
    wait_for_results(page)
    assert page.locator("[data-kb-sort]").input_value() == "newest"
    assert "page 1 of" in page.locator("[data-kb-status]").inner_text()
    page.get_by_role("button", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    wait_for_results(page)
    assert "page 2 of" in page.locator("[data-kb-status]").inner_text()


def test_static_hosting_says_so_and_falls_back_to_titles_and_summaries(phone, static_site_url):
    phone.goto(static_site_url + "search/?q=attendance")
    wait_for_results(phone)
    status = phone.locator("[data-kb-status]").inner_text()
    assert "not reachable" in status and "titles and summaries" in status
    items = phone.locator(".kb-result").all_inner_texts()
    assert len(items) >= 3 and all("attendance" in item.lower() for item in items)
    screenshot(phone, "search-phone-static-fallback")
    assert_accessible(phone)


def test_entry_text_from_the_api_is_shown_as_text(page, site_url):
    hostile = '<img src=x onerror="window.pwned=1">Bad <b>title</b>'
    answer = {
        "total": 1,
        "page": 1,
        "pages": 1,
        "notes": [],
        "corrections": {},
        "did_you_mean": None,
        "facets": {"type": [{"id": "case-study", "label": "<i>Case</i>", "count": 1}]},
        "results": [
            {
                "ref": "x",
                "url": "case-studies/x/",
                "title": hostile,
                "title_highlights": [[0, 4]],
                "type": "case-study",
                "type_label": "<u>Type</u>",
                "date": "2026-01-02",
                "networks": [],
                "tags": [],
                "summary": "",
                "snippet": {"text": "<script>window.pwned=2</script> snippet", "highlights": [[0, 8]]},
            }
        ],
    }
    page.route(
        "**/api/search**", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))
    )
    page.goto(site_url + "search/?q=x")
    wait_for_results(page)
    assert page.locator(".kb-search img, .kb-search b, .kb-search i, .kb-search u, .kb-search script").count() == 0
    assert page.locator(".kb-result__title").inner_text() == hostile
    assert page.evaluate("window.pwned") is None
