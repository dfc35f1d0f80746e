"""The light/dark toggle (kb-palette.js and the inline script at the top of the body, in place of Material's
palette component): the first paint is in the reader's scheme, a choice is kept from page to page, the toggle
works by mouse and keyboard, and until a reader chooses, the page follows the system's scheme."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, assert_accessible, screenshot

SCHEME = "document.body.getAttribute('data-md-color-scheme')"
SHOWN = "[...document.querySelectorAll('label[for^=__palette]')].map(label => !label.hidden)"
# The scheme when the page's own scripts have not run yet: what the reader sees first.
PAINTED = "window.__kb_painted = document.body.getAttribute('data-md-color-scheme')"


@pytest.fixture
def scheme_page(browser):
    def open_as(system: str):
        context = browser.new_context(viewport=DESKTOP, color_scheme=system)
        opened.append(context)
        pg = context.new_page()
        pg.add_init_script(f"document.addEventListener('readystatechange', () => {{ if (!window.__kb_painted) {PAINTED} }})")
        return pg

    opened: list = []
    yield open_as
    for context in opened:
        context.close()


@pytest.mark.parametrize(("system", "scheme"), [("light", "default"), ("dark", "slate")])
def test_the_first_paint_is_in_the_systems_scheme(scheme_page, site_url, system, scheme):
    pg = scheme_page(system)
    pg.goto(site_url)
    assert pg.evaluate("window.__kb_painted") == scheme  # set before any deferred script ran: no flash
    assert pg.evaluate(SCHEME) == scheme
    assert pg.evaluate(SHOWN) == ([True, False] if scheme == "default" else [False, True])  # one toggle, for this scheme
    assert pg.evaluate("localStorage.length") == 0  # nothing is chosen for the reader


def test_a_choice_is_kept_from_page_to_page(scheme_page, site_url):
    pg = scheme_page("light")
    pg.goto(site_url)
    pg.locator("label[for^='__palette']:visible").click()
    assert pg.evaluate(SCHEME) == "slate"
    assert pg.evaluate(SHOWN) == [False, True]
    pg.goto(site_url + "case-studies/transition-coaching/")
    assert pg.evaluate("window.__kb_painted") == "slate"  # painted dark from the start, though the system is light
    screenshot(pg, "palette-chosen-dark-1280")
    assert_accessible(pg)


def test_the_toggle_works_from_the_keyboard(scheme_page, site_url):
    pg = scheme_page("light")
    pg.goto(site_url)
    for _ in range(60):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.name") == "__palette":
            break
    else:
        pytest.fail("the toggle is not reached by Tab")
    pg.keyboard.press("Enter")
    assert pg.evaluate(SCHEME) == "slate"
    assert pg.evaluate("document.activeElement.name") == "__palette"  # the focus stays on the toggle
    pg.keyboard.press("Enter")
    assert pg.evaluate(SCHEME) == "default"
    pg.keyboard.press("ArrowRight")  # a radio group's own keys move to the other palette
    assert pg.evaluate(SCHEME) == "slate"
    assert pg.evaluate(SHOWN) == [False, True]


def test_until_a_reader_chooses_the_page_follows_the_system(scheme_page, site_url):
    pg = scheme_page("light")
    pg.goto(site_url)
    pg.emulate_media(color_scheme="dark")
    pg.wait_for_function(f"{SCHEME} === 'slate'")
    assert pg.evaluate(SHOWN) == [False, True]
    pg.locator("label[for^='__palette']:visible").click()  # chosen: light, kept whatever the system does
    pg.emulate_media(color_scheme="light")
    pg.emulate_media(color_scheme="dark")
    pg.wait_for_timeout(200)
    assert pg.evaluate(SCHEME) == "default"


def test_loading_a_page_recomputes_no_style_for_the_palette(scheme_page, site_url):
    """Material's palette component set every palette attribute again on load, with a switching flag that
    invalidates every element: no palette attribute of the body changes after the first paint now."""
    pg = scheme_page("dark")
    pg.add_init_script(
        "window.__kb_changes = [];"
        "new MutationObserver(list => list.forEach(m => m.attributeName.startsWith('data-md-color') && window.__kb_changes.push(m.attributeName)))"
        ".observe(document, {attributes: true, subtree: true, attributeFilter: "
        "['data-md-color-scheme', 'data-md-color-primary', 'data-md-color-accent', 'data-md-color-media', 'data-md-color-switching']});"
    )
    pg.goto(site_url)
    pg.wait_for_load_state("networkidle")
    changes = pg.evaluate("window.__kb_changes")
    assert pg.evaluate(SCHEME) == "slate"
    assert len(changes) == 4  # the inline script's four, before the first paint; none from the scripts after it


def test_a_browser_that_refuses_storage_still_gets_the_systems_scheme(scheme_page, site_url):
    pg = scheme_page("dark")
    pg.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }})"
    )
    errors = []
    pg.on("pageerror", lambda error: errors.append(str(error)))
    pg.goto(site_url)
    assert pg.evaluate("window.__kb_painted") == "slate"
    pg.locator("label[for^='__palette']:visible").click()  # switches, though it cannot be remembered
    assert pg.evaluate(SCHEME) == "default"
    assert errors == []
