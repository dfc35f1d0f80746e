"""The built site opens in a real browser, reads well at phone width and passes an axe scan."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot


def test_home_page_renders_and_is_accessible(phone, page, site_url):
    for pg, width in ((phone, 375), (page, 1280)):
        pg.goto(site_url)
        assert "Shared learning" in pg.title() or "Home" in pg.title()
        screenshot(pg, f"home-{width}")
        assert_accessible(pg)


def test_entry_page_shows_title_summary_and_network_link(page, site_url):
    page.goto(site_url + "case-studies/coaching-year-7/".replace("coaching-year-7", "transition-coaching"))
    assert page.locator("h1").first.inner_text().strip()
    network = page.locator(".kb-facts a[href*='networks/']").first
    network.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/networks/**")
    screenshot(page, "case-study-1280")
