"""Rough edges a newcomer met, each checked in chromium: the skip link, the home search box's focus ring,
named search landmarks, and the fallback search's honest wording."""

from __future__ import annotations

from tests.browser.conftest import EVERY_IMPACT, axe_violations, screenshot


def test_skip_to_content_reaches_a_generated_page_title(page, site_url):
    for path in ("actions/", "tags/", "meetings/", ""):
        page.goto(site_url + path)
        page.keyboard.press("Tab")  # Material's skip link is the first stop
        assert page.evaluate("document.activeElement.classList.contains('md-skip')"), path
        page.keyboard.press("Enter")
        assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').tagName") == "H1", path


def test_the_home_search_box_shows_keyboard_focus(page, site_url):
    page.goto(site_url)
    for _ in range(40):  # by keyboard, as a person would reach it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "kb-home-q":
            break
    assert page.evaluate("document.activeElement.id") == "kb-home-q"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, style
    screenshot(page, "home-search-focus-1280")


def test_search_landmarks_are_named_apart(page, site_url):
    """The header's quick search and the page's own search form are both search landmarks: each has its own name."""
    for path in ("", "search/"):
        page.goto(site_url + path)
        page.wait_for_selector(".kb-header-search")
        names = page.evaluate("[...document.querySelectorAll('[role=search]')].map(f => f.getAttribute('aria-label'))")
        assert len(names) == 2 and len(set(names)) == 2 and all(names), (path, names)
        found = [v for v in axe_violations(page, EVERY_IMPACT) if v.startswith(("landmark-unique", "heading-order"))]
        assert found == [], path


def test_the_fallback_search_does_not_promise_spelling_help(page, static_site_url):
    page.goto(static_site_url + "search/?q=attendance")
    page.wait_for_selector("[data-kb-results] li, .kb-search__results li", timeout=10_000)
    assert "spelling mistakes are not corrected" in page.inner_text("body")
    assert not page.locator("[data-kb-spelling]").is_visible()
    assert "Spelling mistakes are forgiven" not in page.inner_text("#kb-search-hint")


def test_printed_links_carry_their_full_address(page, site_url):
    page.goto(site_url + "case-studies/transition-coaching/")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser fires before it prints
    page.emulate_media(media="print")
    link = page.locator(".kb-facts a[href*='networks/']").first
    assert link.get_attribute("href").startswith("../")  # relative on screen
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert site_url + "networks/" in after, after
