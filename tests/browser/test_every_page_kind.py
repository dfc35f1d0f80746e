"""One page of every kind, at phone and desktop width, in the light and the dark scheme: axe finds no
violation of any impact, nothing scrolls sideways, and a screenshot of each is kept for people to look at.
Generated pages (listings, tracker, board, tags, search...) use the full width on a desktop: no left sidebar."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, EVERY_IMPACT, PHONE, axe_violations, screenshot

ENTRY_PAGES = {
    "case-study": "case-studies/transition-coaching/",
    "minutes": "minutes/equity/2026-10-08/",
    "register-entry": "register/talk-routines/",
    "research": "research/2026-10-school-collaboration-review/",
    "learning-summary": "summaries/autumn-2026/",
    "network-hub": "networks/send/",
    "about": "about/network-models/",
    "guide": "contribute/guide/",
}
GENERATED_PAGES = {
    "listing": "case-studies/",
    "networks": "networks/",
    "actions": "actions/",
    "meetings": "meetings/",
    "board": "board/",
    "digest": "board/digest/autumn-2026/",
    "network-digest": "board/digest/autumn-2026/send/",
    "tags": "tags/",
    "tag": "tags/curriculum/",
    "organisations": "organisations/",
    "organisation": "organisations/ashfield-primary-school/",
    "browse": "browse/",
    "search": "search/?q=coaching",
}
OTHER_PAGES = {"home": "", "contribute": "contribute/", "not-found": "404.html"}
EVERY_KIND = {**OTHER_PAGES, **ENTRY_PAGES, **GENERATED_PAGES}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_every_page_kind_is_accessible_in_both_schemes(browser, site_url, viewport, scheme):
    context = browser.new_context(viewport=viewport, color_scheme=scheme, is_mobile=viewport is PHONE)
    pg = context.new_page()
    found, sideways = {}, {}
    for kind, path in EVERY_KIND.items():
        pg.goto(site_url + path)
        if path.startswith("search/"):
            pg.wait_for_selector("[data-kb-results] li", timeout=10_000)
        assert pg.evaluate("document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
        violations = axe_violations(pg, EVERY_IMPACT)
        if violations:
            found[kind] = violations
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            sideways[kind] = overflow
        if scheme == "light" or viewport is PHONE:  # the dark desktop adds nothing a reviewer needs to see
            screenshot(pg, f"kind-{kind}-{viewport['width']}-{scheme}")
    context.close()
    assert not found, "\n".join(f"{kind}: {v}" for kind, vs in found.items() for v in vs)
    assert not sideways, f"pages scrolling sideways (px): {sideways}"


def test_generated_pages_use_the_full_width(page, site_url):
    """No left sidebar holding only the page's own name: the content takes the width of the page."""
    narrow = {}
    for kind, path in GENERATED_PAGES.items():
        page.goto(site_url + path)
        sidebar = page.locator(".md-sidebar--primary")
        width = page.evaluate("document.querySelector('article.md-content__inner').getBoundingClientRect().width")
        if (sidebar.count() and sidebar.first.is_visible()) or width < 0.85 * min(DESKTOP["width"], 1220):
            narrow[kind] = round(width)
    assert not narrow, f"generated pages with a sidebar or narrow content (content width px): {narrow}"
    page.goto(site_url + "contribute/")  # the contribute page keeps its sidebar, which leads on to the guide
    assert page.locator(".md-sidebar--primary").first.is_visible()
