"""Search that understands the partnership's words, in a real browser (issue 22): the "Did you know?" card,
a soft-filter chip removed and put back with the keyboard, a network hub's own search box and the new facets
on a phone. Every page is scanned with axe and photographed at 375 px or desktop width."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_search import titles, wait_for_results


def no_sideways_scroll(pg) -> None:
    assert pg.evaluate("document.documentElement.scrollWidth") <= pg.viewport_size["width"]


def tab_to(pg, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (the keyboard's way there)."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_vocabulary_card_explains_the_word_and_leads_to_its_about_section(page, site_url):
    page.goto(site_url + "search/?q=meshed")
    wait_for_results(page)
    card = page.locator("[data-kb-card]")
    expect(card).to_be_visible()
    expect(card.locator("h2")).to_have_text("Did you know?")
    expect(card).to_contain_text("Meshed (Network models): In a meshed network, almost every member")
    assert set(titles(page)[:4]) == {
        "Primary Leaders Network",
        "Secondary Leaders Network",
        "Equity Network",
        "Professional Learning Network (local and national)",
    }
    screenshot(page, "search-desktop-card")
    assert_accessible(page)
    link = card.locator("a")
    expect(link).to_have_text("Read more in Network models")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/about/network-models/#meshed$"))
    expect(page.locator("h2#meshed")).to_be_visible()


def test_no_card_for_an_ordinary_word(page, site_url):
    page.goto(site_url + "search/?q=attendance")
    wait_for_results(page)
    expect(page.locator("[data-kb-card]")).to_be_hidden()
    expect(page.locator("[data-kb-chips]")).to_be_hidden()


def test_soft_filter_chip_removed_and_put_back_with_the_keyboard_on_a_phone(phone, site_url):
    phone.goto(site_url + "search/?q=reading+year+3+primary")
    wait_for_results(phone)
    chip = phone.locator(".kb-chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("Showing Primary first")
    expect(phone.locator("[data-kb-card]")).to_contain_text("Primary (Education phases)")
    assert titles(phone)[0] == "Reading fluency in Year 3 through paired reading"
    total = phone.locator("[data-kb-status]").inner_text()
    no_sideways_scroll(phone)
    screenshot(phone, "search-phone-soft-chip")
    assert_accessible(phone)

    phone.locator("#kb-search-q").focus()
    tab_to(phone, ".kb-chip__button")
    expect(phone.locator(".kb-chip__button")).to_have_text("Search everything")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"plain=phase%3Aprimary"))
    wait_for_results(phone)
    expect(chip).to_contain_text("Searching everything for “primary”")
    button = phone.locator(".kb-chip__button")
    expect(button).to_have_text("Show Primary first")
    expect(button).to_be_focused()
    assert phone.locator("[data-kb-status]").inner_text() == total  # nothing was dropped, only the order changed
    no_sideways_scroll(phone)
    screenshot(phone, "search-phone-soft-chip-removed")
    assert_accessible(phone)

    phone.keyboard.press("Enter")  # put it back
    phone.wait_for_url(re.compile(r"search/\?q=reading\+year\+3\+primary$"))
    wait_for_results(phone)
    expect(chip).to_contain_text("Showing Primary first")
    phone.go_back()
    wait_for_results(phone)
    expect(chip).to_contain_text("Searching everything")


def test_a_network_hub_searches_within_its_network_and_can_widen(page, site_url):
    page.goto(site_url + "networks/send/")
    box = page.get_by_label("Search this network")
    expect(box).to_be_visible()
    box.fill("transition")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=transition&network=send$"))
    wait_for_results(page)
    scope = page.locator("[data-kb-scope]")
    expect(scope).to_contain_text("Searching in SEND Network (primary focus) only.")
    expect(page.locator('[data-facet="network"][data-value="send"]')).to_have_attribute("aria-pressed", "true")
    within = titles(page)
    metas = page.locator(".kb-result__meta").all_inner_texts()
    assert within and all("SEND Network (primary focus)" in meta for meta in metas), metas
    assert any(re.search(r" · \d{1,2} [A-Z][a-z]+ \d{4} · ", meta) for meta in metas), metas  # dates as the site writes them
    screenshot(page, "search-desktop-network-scope")
    assert_accessible(page)
    scope.get_by_role("button", name="Search all networks").click()
    page.wait_for_url(re.compile(r"/search/\?q=transition$"))
    wait_for_results(page)
    expect(scope).to_be_hidden()
    assert len(titles(page)) > len(within) or page.locator("[data-kb-pages]").is_visible()
    expect(page.locator("#kb-search-q")).to_be_focused()


def test_the_hub_search_box_fits_a_phone(phone, site_url):
    phone.goto(site_url + "networks/equity/")
    box = phone.get_by_label("Search this network")
    box.scroll_into_view_if_needed()
    expect(box).to_be_visible()
    no_sideways_scroll(phone)
    assert phone.locator(".kb-hub-search button").bounding_box()["x"] + 40 <= 375
    screenshot(phone, "network-hub-phone-search")
    assert_accessible(phone)


def test_new_facets_folded_on_a_phone_and_chosen_with_the_keyboard(phone, site_url):
    phone.goto(site_url + "search/?q=coaching")
    wait_for_results(phone)
    filters = phone.locator("[data-kb-filters]")
    assert filters.get_attribute("open") is None  # folded on phones, as before
    filters.locator("summary").focus()
    phone.keyboard.press("Enter")
    for heading in ("Phase", "Approach", "Brokerage role", "Year"):
        expect(filters.locator(".kb-facet__title", has_text=re.compile(rf"^{heading}$"))).to_be_visible()
    expect(phone.locator('[data-facet="phase"][data-value="secondary"] .kb-facet__label')).to_have_text("Secondary")
    expect(phone.locator('[data-facet="brokerage"][data-value="relationships"] .kb-facet__label')).to_have_text(
        "Brokering relationships"
    )
    years = phone.locator('[data-facet="year"]').evaluate_all("els => els.map(e => e.dataset.value)")
    assert years == sorted(years, reverse=True) and years
    no_sideways_scroll(phone)
    screenshot(phone, "search-phone-new-facets")
    assert_accessible(phone)

    tab_to(phone, '[data-facet="approach"]')
    chosen = phone.evaluate("document.activeElement.dataset.value")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"approach={chosen}"))
    wait_for_results(phone)
    expect(phone.locator(f'[data-facet="approach"][data-value="{chosen}"]')).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(f'[data-facet="approach"][data-value="{chosen}"]')).to_be_focused()
    assert 1 <= len(titles(phone)) < 10
    screenshot(phone, "search-phone-approach-chosen")
    assert_accessible(phone)


def test_new_facets_work_without_the_search_service(page, static_site_url):
    page.goto(static_site_url + "search/?q=coaching&phase=secondary")
    page.locator("[data-kb-status]").filter(has_text=re.compile(r"found|No entries")).wait_for()
    assert "simpler search" in page.locator("[data-kb-status]").inner_text()
    expect(page.locator('[data-facet="phase"][data-value="secondary"]')).to_have_attribute("aria-pressed", "true")
    assert titles(page)
