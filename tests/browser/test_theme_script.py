"""kb-theme.js, in place of Material's bundle: what our pages used of it still works (the header's title and shadow,
back to top, the table of contents following the reader, copy buttons, wide blocks reachable from the keyboard,
navigation sections opened with Enter, the drawer closed by a link), and no page loads the bundle."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible, screenshot, until

GUIDE = "about/convenor-guide/"  # a long page with a table of contents
CONTRIBUTE = "contribute/"  # twelve code blocks
TABLE = "contribute/guide/"  # a Markdown table
STATE = """() => ({
  title: document.querySelector('[data-md-component=header-title]').classList.contains('md-header__title--active'),
  shadow: document.querySelector('[data-md-component=header]').classList.contains('md-header--shadow'),
  top: !document.querySelector('[data-md-component=top]').hidden,
  topTabindex: document.querySelector('[data-md-component=top]').getAttribute('tabindex'),
  active: [...document.querySelectorAll('[data-md-component=toc] .md-nav__link--active')].map(a => a.hash),
  passed: document.querySelectorAll('[data-md-component=toc] .md-nav__link--passed').length,
})"""


def errors_of(pg) -> list[str]:
    found: list[str] = []
    pg.on("pageerror", lambda error: found.append(str(error)))
    pg.on("console", lambda message: found.append(message.text) if message.type == "error" else None)
    return found


def settle(pg) -> None:
    """Until the page has stopped scrolling and kb-theme.js has drawn a frame after it (it updates once a frame)."""
    last = None
    for _ in range(100):  # at most about 10 s on a slow machine
        y = pg.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(window.scrollY))))")
        if y == last:
            return
        last = y
        pg.wait_for_timeout(50)
    raise AssertionError("the page never stopped scrolling")


def scroll_by(pg, dy: int) -> None:
    pg.mouse.wheel(0, dy)
    settle(pg)


def test_no_page_loads_materials_bundle(page, site_url):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", GUIDE, "actions/", "search/?q=coaching"):
        page.goto(site_url + path)
    assert requested and not [url for url in requested if "/assets/javascripts/" in url or "sitemap.xml" in url]
    assert page.evaluate("document.documentElement.className") == "js"  # Material's no-JavaScript rules are off


def test_the_header_and_the_contents_follow_the_reader(page, site_url):
    errors = errors_of(page)
    page.goto(site_url + GUIDE)
    page.wait_for_load_state("load")
    start = page.evaluate(STATE)
    assert start == {"title": False, "shadow": False, "top": False, "topTabindex": "-1", "active": [], "passed": 0}
    scroll_by(page, 1500)
    down = page.evaluate(STATE)
    assert down["title"] and down["shadow"]  # the page's title in the header once its heading scrolled under it
    assert not down["top"] and down["topTabindex"] == "-1"  # back to top waits for the reader to scroll up
    assert len(down["active"]) == 1 and down["passed"] >= 2
    heading = page.evaluate(f"document.getElementById(decodeURIComponent('{down['active'][0][1:]}')).getBoundingClientRect().top")
    assert heading < 120  # the section marked is the one under the header, not one further down
    scroll_by(page, -300)
    up = page.evaluate(STATE)
    assert up["top"] and up["topTabindex"] is None  # shown, and in the tab order while shown
    assert up["passed"] <= down["passed"]
    screenshot(page, "theme-script-scrolled-up-1280")
    assert_accessible(page)
    page.locator("[data-md-component=top]").click()
    settle(page)
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate(STATE) == start
    scroll_by(page, 100_000)  # the end of the page: the last section is the one read, however short
    last = page.evaluate("[...document.querySelectorAll('[data-md-component=toc] a.md-nav__link')].pop().hash")
    assert page.evaluate(STATE)["active"] == [last]
    assert errors == []


def test_a_page_opened_at_an_anchor_shows_where_the_reader_is(page, site_url):
    page.goto(site_url + GUIDE)
    anchor = page.evaluate("[...document.querySelectorAll('[data-md-component=toc] a.md-nav__link')][3].hash")
    page.goto(site_url + GUIDE + anchor)
    page.wait_for_load_state("load")
    settle(page)
    state = page.evaluate(STATE)
    assert state["title"] and state["active"] == [anchor]


def test_a_code_block_is_copied_with_its_button_and_the_copy_is_announced(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    errors = errors_of(pg)
    pg.goto(site_url + CONTRIBUTE)
    names = pg.evaluate("[...document.querySelectorAll('pre > nav.md-code__nav')].map(nav => nav.getAttribute('aria-label'))")
    blocks = pg.evaluate("document.querySelectorAll('.md-typeset pre > code').length")
    assert blocks >= 2 and names == [f"Code block {n}" for n in range(1, blocks + 1)]  # landmarks told apart
    button = pg.get_by_role("button", name="Copy to clipboard").first
    button.focus()
    pg.keyboard.press("Enter")
    until(pg, "document.querySelector('[data-md-component=dialog]').classList.contains('md-dialog--active')")
    expected = pg.evaluate("document.querySelector('.md-typeset pre > code').innerText").rstrip("\n")
    assert pg.evaluate("navigator.clipboard.readText()") == expected
    assert pg.get_by_role("status").inner_text() == "Copied to clipboard"
    assert "focus-visible" in button.get_attribute("class")  # Material's stylesheet draws its keyboard outline
    assert_accessible(pg)
    until(pg, "!document.querySelector('[data-md-component=dialog]').classList.contains('md-dialog--active')", seconds=5)
    assert errors == []
    context.close()


# Nothing in the starter content is wider than a phone (our stylesheet wraps code), so the page gets a table of
# 600 px before the deferred scripts run (readyState "interactive" comes before them).
WIDE_TABLE = """document.addEventListener('readystatechange', () => {
  if (document.readyState !== 'interactive') return;
  const table = document.createElement('table'), cell = table.insertRow().insertCell(), box = document.createElement('div');
  box.style.width = '600px';
  box.textContent = 'A table of 600 pixels';
  cell.appendChild(box);
  document.querySelector('.md-content .md-typeset').appendChild(table);
})"""


def test_wide_blocks_are_reachable_from_the_keyboard_on_a_phone(phone, site_url):
    phone.add_init_script(WIDE_TABLE)
    phone.goto(site_url + TABLE)
    phone.wait_for_load_state("load")
    until(phone, "document.querySelector('[data-kb-wide]')")  # measured once the page is laid out
    reach = """[...document.querySelectorAll('.md-typeset pre > code, .md-typeset table:not([class])')]
                 .map(el => [el.scrollWidth > el.clientWidth, el.getAttribute('tabindex')])"""
    wide = phone.evaluate(reach)
    assert len(wide) >= 3 and [is_wide for is_wide, _ in wide].count(True) == 1
    assert all((tabindex == "0") == is_wide for is_wide, tabindex in wide)
    assert_accessible(phone)  # axe's scrollable-region-focusable among the rest
    phone.set_viewport_size({"width": 1280, "height": 812})  # the table fits now: out of the tab order again
    until(phone, "!document.querySelector('[data-kb-wide]')")
    assert all(tabindex is None for is_wide, tabindex in phone.evaluate(reach))


def test_the_drawer_opens_a_section_with_enter_and_closes_on_a_link(phone, site_url):
    phone.goto(site_url)
    phone.locator("label.md-header__button[for=__drawer]").click()
    assert phone.evaluate("document.getElementById('__drawer').checked")
    section = phone.locator(".md-sidebar--primary label.md-nav__link[tabindex='0']", has_text="About").first
    toggle = section.get_attribute("for")
    section.focus()
    phone.keyboard.press("Enter")
    assert phone.evaluate(f"document.getElementById('{toggle}').checked")
    phone.wait_for_timeout(400)
    screenshot(phone, "theme-script-drawer-section-375")
    link = phone.locator(f"nav[aria-labelledby='{toggle}_label'] a.md-nav__link").first
    link.evaluate("a => a.addEventListener('click', event => event.preventDefault())")  # stay to see the drawer
    link.click()
    assert not phone.evaluate("document.getElementById('__drawer').checked")


def test_the_sidebars_scroll_inside_a_short_window(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 360})
    pg = context.new_page()
    pg.goto(site_url + GUIDE)
    sizes = pg.evaluate(
        """[...document.querySelectorAll('.md-sidebar__scrollwrap')].filter(el => el.offsetParent)
             .map(el => [el.getBoundingClientRect().bottom, el.clientHeight, el.scrollHeight])"""
    )
    assert len(sizes) == 2  # the section's navigation and the table of contents
    for bottom, shown, tall in sizes:
        assert bottom <= 360  # nothing of either sidebar below the window
        assert 150 < shown < tall  # as tall as the window lets it be, and the rest scrolls inside
    context.close()
