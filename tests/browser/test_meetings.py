"""A convenor's path through the meetings pages in a real browser: next meeting and agenda from the
home page, the action tracker's filters by keyboard and URL, the filtered CSV download, axe, 375 px."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import assert_accessible, screenshot, serve_directory


def _csv_rows(download) -> list[list[str]]:
    with open(download.path(), encoding="utf-8") as f:
        return list(csv.reader(io.StringIO(f.read())))


def test_convenor_finds_next_meeting_and_agenda_from_home(page, site_url):
    page.goto(site_url)
    page.get_by_role("link", name="Meetings").first.click()
    page.wait_for_url("**/meetings/")
    assert page.locator("h1").inner_text() == "Meetings"
    cards = page.locator("section[aria-labelledby='kb-upcoming-h'] .kb-meeting-card")
    assert (
        "26 November 2026" in cards.first.inner_text() and "Provisional date" in cards.first.inner_text()
    )  # careers' next_meeting
    first = cards.nth(1)
    assert "3 December 2026" in first.inner_text()  # the soonest meeting with an agenda after KB_TODAY 2026-11-23
    first.get_by_role("link").first.click()
    page.wait_for_url("**/minutes/send/2026-12-03/")
    assert "Scheduled" in page.locator(".kb-facts").inner_text()
    agenda = page.locator("ol.kb-agenda li").all_inner_texts()
    assert agenda[0] == "Matters arising from 19 November" and len(agenda) == 5
    assert page.locator("#kb-decisions-h").count() == 0  # a scheduled meeting is not minutes
    screenshot(page, "meetings-scheduled-1280")
    assert_accessible(page)


def test_minutes_page_shows_matters_arising_linked_back_and_overdue_in_words(page, site_url):
    page.goto(site_url + "minutes/equity/2026-10-08/")
    matters = page.locator("section[aria-labelledby='kb-matters-h']")
    assert "name a governor" in matters.inner_text()
    assert "Open, overdue by 104 days" in matters.inner_text()  # as late as it was on 8 October, from two meetings back
    link = matters.locator("a[href*='2026-07-02/#action-2']")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/minutes/equity/2026-07-02/#action-2")
    assert page.locator("#action-2").is_visible()
    assert_accessible(page)


def _tracker_ready(pg):
    """The tracker's rows come from JSON after load; wait until the script has shown them."""
    pg.wait_for_selector("form[data-kb-tracker][data-ready]", state="attached")


def test_tracker_filters_by_keyboard_and_keeps_state_in_the_url(page, site_url):
    page.goto(site_url + "actions/")
    _tracker_ready(page)
    rows = page.locator(".kb-tracker-view[data-view='network'] .kb-tracker-row:visible")
    total = rows.count()
    assert total > 5
    first_text = rows.first.inner_text()
    assert "Overdue by" in first_text  # overdue first
    page.locator("#kb-f-network").focus()
    page.keyboard.type("Equity")  # a focused select takes type-ahead, and each key change fires 'change'
    page.wait_for_url(re.compile(r".*\?network=equity$"))
    assert page.locator("#kb-f-network").input_value() == "equity"
    assert 0 < rows.count() < total
    assert all(r.get_attribute("data-network") == "equity" for r in rows.all())
    assert f"{rows.count()} actions shown" in page.locator("#kb-tracker-count").inner_text()
    page.keyboard.press("Tab")  # owner select
    page.keyboard.press("Tab")  # status select
    assert page.evaluate("document.activeElement.id") == "kb-f-status"
    page.keyboard.press("ArrowDown")  # Open -> Overdue
    page.wait_for_url(re.compile(r".*network=equity&status=overdue$"))
    assert all(r.get_attribute("data-overdue") == "1" for r in rows.all())
    overdue_count = rows.count()
    # the URL alone restores the state
    page.goto(site_url + "actions/?network=equity&status=overdue")
    _tracker_ready(page)
    assert page.locator("#kb-f-network").input_value() == "equity"
    assert page.locator("#kb-f-status").input_value() == "overdue"
    assert rows.count() == overdue_count
    assert_accessible(page)


def test_network_hub_links_to_its_filtered_tracker(page, site_url):
    page.goto(site_url + "networks/equity/")
    section = page.locator(".kb-network-meetings")
    assert "14 January 2027" in section.inner_text()  # next meeting
    section.locator("a[href*='actions/?network=equity']").click()
    page.wait_for_url("**/actions/?network=equity")
    _tracker_ready(page)
    rows = page.locator(".kb-tracker-view[data-view='network'] .kb-tracker-row:visible")
    assert rows.count() > 0 and all(r.get_attribute("data-network") == "equity" for r in rows.all())
    assert page.locator("a[href$='calendar/equity.ics']").count() == 0  # the tracker is a different page
    page.go_back()
    assert page.locator(".kb-network-meetings a[href$='calendar/equity.ics']").count() == 1


def test_tracker_group_by_owner_and_done_actions(page, site_url):
    page.goto(site_url + "actions/?group=owner&status=done")
    _tracker_ready(page)
    assert page.locator(".kb-tracker-view[data-view='network']").is_hidden()
    owner_rows = page.locator(".kb-tracker-view[data-view='owner'] .kb-tracker-row:visible")
    assert owner_rows.count() > 0
    assert all(r.get_attribute("data-status") == "done" for r in owner_rows.all())


def test_csv_download_holds_the_filtered_rows(page, site_url):
    page.goto(site_url + "actions/?network=send")
    _tracker_ready(page)
    shown = [
        r.get_attribute("data-key") for r in page.locator(".kb-tracker-view[data-view='network'] .kb-tracker-row:visible").all()
    ]
    with page.expect_download() as info:
        page.locator("#kb-tracker-csv").click()
    rows = _csv_rows(info.value)
    assert rows[0][0] == "Network" and len(rows) - 1 == len(shown) > 0
    assert all(r[0] == "SEND Network (primary focus)" for r in rows[1:])
    assert all(r[7].startswith("https://learning.example.org/minutes/") for r in rows[1:])  # opens from a spreadsheet
    assert [r[7].removeprefix("https://learning.example.org/").replace("/#", "#") for r in rows[1:]] == shown
    # unfiltered: the same rows as the static actions/actions.csv
    page.goto(site_url + "actions/")
    _tracker_ready(page)
    with page.expect_download() as info:
        page.locator("#kb-tracker-csv").click()
    static = page.request.get(site_url + "actions/actions.csv").text()
    assert _csv_rows(info.value) == list(csv.reader(io.StringIO(static)))


def test_meetings_pages_at_375px(phone, site_url):
    for path, name, within in (
        ("meetings/", "meetings", None),
        ("actions/", "actions", None),
        ("minutes/equity/2026-10-08/", "minutes", [".kb-entry-header", ".kb-meeting"]),
        ("organisations/", "organisations", None),
        ("organisations/westbrook-academy/", "organisation", None),
        ("networks/send/", "network-send", [".kb-network-meetings"]),
    ):
        phone.goto(site_url + path)
        for region in within or ():
            assert phone.locator(region).count() >= 1, f"{region} missing on {path}"
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width}px)"
        screenshot(phone, f"meetings-{name}-375")
        assert_accessible(phone)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A fixture project with <script>, quotes and a formula in meeting text, built and served."""
    from tests.conftest import Project, build
    from tests.meetings_fixture import write_meetings

    project = Project(tmp_path_factory.mktemp("hostile") / "project")
    write_meetings(project)
    site = build(project.root, tmp_path_factory.mktemp("hostile-site") / "site")
    url, stop = serve_directory(site)
    yield url
    stop()


def test_hostile_text_is_shown_as_text_and_csv_guards_formulas(page, hostile_site):
    alerts = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(hostile_site + "minutes/equity/2026-10-22/")
    assert '<script>alert("x")</script> Room "B", Eastfield' in page.locator(".kb-facts").inner_text()
    page.goto(hostile_site + "actions/?network=equity")
    _tracker_ready(page)
    assert '<script>alert("x")</script> and "quotes"' in page.locator(".kb-tracker-view[data-view='network']").inner_text()
    with page.expect_download() as info:
        page.locator("#kb-tracker-csv").click()
    actions = [r[2] for r in _csv_rows(info.value)[1:]]
    assert '\'=HYPERLINK("http://evil.example")' in actions
    assert '<script>alert("x")</script> and "quotes"' in actions
    assert alerts == []
