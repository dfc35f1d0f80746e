"""The convenor's cycle in a real browser, on the cycle fixture built once (public and members' sites): the
convenor's page, the organisations grid, "this week" on the home page and meetings/, and a convenor's email
rendered as a mail program shows it; axe and screenshots at 375 px and at desktop width, keyboard use."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot, serve_directory
from tests.cycle_fixture import DRAFT_MARKER, MEMBERS_MARKER

WIDTHS = {"375": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module")
def cycle_sites(tmp_path_factory):
    """The cycle fixture as a project, built as the public and the members' site, each served; yields (project, urls)."""
    from tests.conftest import Project, build
    from tests.cycle_fixture import write_cycle

    project = Project(tmp_path_factory.mktemp("cycle") / "project")
    write_cycle(project)
    public = build(project.root, tmp_path_factory.mktemp("cycle-public") / "site")
    members = build(project.root, tmp_path_factory.mktemp("cycle-members") / "site", members=True)
    (public_url, stop_public), (members_url, stop_members) = serve_directory(public), serve_directory(members)
    yield project, {"public": public_url, "members": members_url}
    stop_public()
    stop_members()


def no_sideways_scroll(pg, width):
    scroll = pg.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways ({scroll}px)"


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_convenors_page_in_the_members_site(browser, cycle_sites, size):
    _, urls = cycle_sites
    context = browser.new_context(viewport=WIDTHS[size])
    pg = context.new_page()
    try:
        pg.goto(urls["members"] + "convenor/send/")
        assert pg.locator("h1").inner_text() == "Convenor's cycle: SEND"
        late = pg.locator(".kb-notice--warning").inner_text()
        assert (
            "Late or missing:" in late
            and "after 15 October 2026: thanks, notes, decisions and actions sent within a week" in late
        )
        steps = pg.locator("section[aria-labelledby='kb-cycle-last-h'] .kb-step").all_inner_texts()
        assert any(s.startswith("LATE") and "Due by 22 October 2026" not in s for s in steps)
        assert any(s.startswith("DONE") and "Attendance logged" in s for s in steps)
        if size == "375":
            no_sideways_scroll(pg, PHONE["width"])
        screenshot(pg, f"cycle-convenor-{size}")
        assert_accessible(pg)
        assert DRAFT_MARKER not in pg.content()
    finally:
        context.close()


def test_the_convenors_pages_are_reached_by_keyboard_and_absent_from_the_public_site(page, cycle_sites):
    _, urls = cycle_sites
    page.goto(urls["members"] + "convenor/")
    link = page.get_by_role("link", name="Equity", exact=True)
    for _ in range(80):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the network's convenor page cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/convenor/equity/$"))
    assert "Next meeting: 3 December 2026" in page.locator("#kb-cycle-next-h").inner_text()
    response = page.goto(urls["public"] + "convenor/equity/")
    assert response.status == 404
    page.goto(urls["public"] + "networks/equity/")
    assert page.locator("a[href*='convenor/']").count() == 0


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_organisations_grid(browser, cycle_sites, size):
    _, urls = cycle_sites
    context = browser.new_context(viewport=WIDTHS[size], is_mobile=size == "375", has_touch=size == "375")
    pg = context.new_page()
    try:
        pg.goto(urls["public"] + "organisations/")
        grid = pg.locator("table.kb-orggrid")
        assert grid.locator("thead th").all_inner_texts() == ["Organisation", "Careers", "Equity", "SEND"]
        office = grid.locator("tr", has=pg.get_by_role("link", name="Partnership Office"))
        visible_cells = [c.inner_text() for c in office.locator("td").all() if c.is_visible()]
        if size == "375":
            no_sideways_scroll(pg, PHONE["width"])
            assert visible_cells == ["1 of 1 (100%)"]  # a card naming only the networks it takes part in...
            label = office.locator("td:visible").evaluate("td => getComputedStyle(td, '::before').content")
            assert label == '"Equity: "'  # ...each labelled with the network's name
            assert grid.locator("thead").bounding_box()["height"] <= 1  # the header row is for screen readers only
        else:
            assert len(visible_cells) == 3 and "1 of 1 (100%)" in visible_cells  # a real grid: a cell per network
            assert grid.locator("thead th").nth(2).is_visible()
        westbrook = grid.locator("tr", has=pg.get_by_role("link", name="Westbrook Academy")).inner_text()
        assert "2 of 2" in westbrook and "0 of 1" in westbrook
        screenshot(pg, f"cycle-organisations-{size}")
        assert_accessible(pg)
    finally:
        context.close()


def test_from_the_grid_to_an_organisations_attendance_by_keyboard(page, cycle_sites):
    _, urls = cycle_sites
    page.goto(urls["public"] + "organisations/")
    link = page.locator("table.kb-orggrid").get_by_role("link", name="St. Mary's C of E Primary School")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/organisations/saint-marys-c-of-e-primary-school/$"))
    table = page.locator("table.kb-taking-part").inner_text()
    assert "Equity" in table and "100% attended" in table
    assert page.locator("a[href$='minutes/equity/2026-05-14/']").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("size", sorted(WIDTHS))
@pytest.mark.parametrize("path, name", [("", "home"), ("meetings/", "meetings")])
def test_this_week(browser, cycle_sites, size, path, name):
    _, urls = cycle_sites
    context = browser.new_context(viewport=WIDTHS[size], is_mobile=size == "375", has_touch=size == "375")
    pg = context.new_page()
    try:
        pg.goto(urls["public"] + path)
        week = pg.locator("section.kb-this-week")
        text = week.inner_text()
        assert "Careers meeting, 26 November 2026" in text and "Provisional date" in text
        assert "SEND workshop, 30 November 2026" in text and "Cancelled" in text
        assert "Due this week" in text and MEMBERS_MARKER not in text
        if size == "375":
            no_sideways_scroll(pg, PHONE["width"])
        screenshot(pg, f"cycle-this-week-{name}-{size}")
        assert_accessible(pg)
    finally:
        context.close()


def test_this_weeks_action_leads_to_where_it_was_agreed_by_keyboard(page, cycle_sites):
    _, urls = cycle_sites
    page.goto(urls["public"])
    link = page.locator("section.kb-this-week a[href$='#action-1']")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/minutes/equity/2026-09-17/#action-1$"))
    assert "Due this week" in page.locator("#action-1").inner_text()


@pytest.mark.parametrize("size", sorted(WIDTHS))
@pytest.mark.parametrize("kind, ref", [("agenda", "minutes/equity/2026-12-03"), ("minutes", "minutes/equity/2026-09-17")])
def test_an_emails_html_body_as_a_mail_program_shows_it(browser, cycle_sites, size, kind, ref, tmp_path):
    """The HTML part of the message, read back from its bytes, rendered on its own with no network."""
    import email
    from email import policy

    from kb.meetings.mail import compose

    project, _ = cycle_sites
    cat = project.catalogue()
    composed = compose(
        kind, cat.entries[ref], cat, sender="c@school.example", site_url="https://kb.example.org/", now=dt.datetime.now(dt.UTC)
    )
    html = (
        email.message_from_bytes(composed.as_bytes(policy=policy.SMTP), policy=policy.default).get_body(("html",)).get_content()
    )
    context = browser.new_context(viewport=WIDTHS[size], java_script_enabled=True, offline=True)
    pg = context.new_page()
    try:
        body = tmp_path / "body.html"
        body.write_text(html, encoding="utf-8")
        pg.goto(body.as_uri())
        assert pg.locator("h1").inner_text() == composed["Subject"]
        headings = pg.locator("h2").all_inner_texts()
        assert ("Matters arising" in headings) is (kind == "agenda") and ("Decisions" in headings) is (kind == "minutes")
        assert pg.locator("a[href^='https://kb.example.org/']").count() >= 2
        if size == "375":
            no_sideways_scroll(pg, PHONE["width"])
        screenshot(pg, f"cycle-mail-{kind}-{size}")
        assert_accessible(pg)
    finally:
        context.close()
