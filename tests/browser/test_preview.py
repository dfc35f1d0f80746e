"""`kb serve` as a contributor uses it: edit an entry and the open page changes; break it and the
page shows what to fix while the server keeps running; drafts are marked in the preview."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, screenshot

from .serving import copy_project, kb_serve

ENTRY = "content/case-studies/transition-coaching.md"
URL = "case-studies/transition-coaching/"


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "project")
    log = tmp_path / "kb-serve.log"
    with kb_serve(project, log=log) as (url, proc):
        yield project, url, proc, log


def test_edit_reloads_the_page_and_a_broken_edit_shows_its_error(served, page, phone):
    project, base, proc, log = served
    path = project / ENTRY
    original = path.read_text(encoding="utf-8")
    page.goto(base + URL)
    h1 = page.locator("article h1").first
    assert h1.inner_text().startswith("Coaching pairs across the Year 6 to Year 7 transition")

    path.write_text(original.replace("title: Coaching pairs across", "title: Mentoring pairs across"), encoding="utf-8")
    page.wait_for_function(
        "() => document.querySelector('article h1')?.textContent.includes('Mentoring pairs across')", timeout=30000
    )

    broken = original.replace("date: 2026-07-15", "date: 15/07/2026").replace("tags: [transition,", "tags: [transitoin,")
    path.write_text(broken, encoding="utf-8")
    errors = page.locator(".kb-preview-errors")
    errors.wait_for(timeout=30000)
    text = re.sub(r"\s+", " ", errors.inner_text())
    assert "The preview cannot show the site yet" in text
    assert ENTRY in text
    assert (
        "line 4, date: '15/07/2026' is not a date written YYYY-MM-DD. Fix: dates are written like date: 2026-07-15." not in text
    )  # the fix shows an example, not their date
    assert "line 4, date: '15/07/2026' is not a date written YYYY-MM-DD." in text
    assert "tags[0]: 'transitoin' is not a known tag. Fix: did you mean 'transition'?" in text
    assert proc.poll() is None, "kb serve stopped on a content error"
    assert "is not a date written YYYY-MM-DD" in log.read_text(encoding="utf-8")  # the terminal says it too
    screenshot(page, "preview-errors-1280")
    assert_accessible(page)
    phone.goto(base + URL)
    phone.locator(".kb-preview-errors").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "preview-errors-375")

    path.write_text(original, encoding="utf-8")
    page.wait_for_function(
        "() => document.querySelector('article h1')?.textContent.includes('Coaching pairs across')", timeout=30000
    )
    assert page.locator(".kb-preview-errors").count() == 0
    assert proc.poll() is None


def test_drafts_and_members_entries_are_marked_in_the_preview(served, page):
    _project, base, _proc, _ = served
    page.goto(base + "case-studies/attendance-mentors-pilot/")
    badge = page.locator(".kb-badge--draft")
    assert badge.inner_text().strip() == "Draft — not published"
    assert "Zanzibarquill" in page.content()
    screenshot(page, "preview-draft-1280")
    assert_accessible(page)


BROKEN_DRAFT = "content/case-studies/draft-with-errors.md"


def test_a_broken_draft_leaves_the_site_shown_with_the_problems_on_top(served, page, phone):
    """Issue 19: one broken draft no longer blocks the preview; a banner on every page lists its problems, with
    a link to the draft's own page; the keyboard reaches that link."""
    project, base, proc, _log = served
    draft = (project / "content/case-studies/attendance-mentors-pilot.md").read_text(encoding="utf-8")
    page.goto(base)
    heading = "Shared learning of the City Learning Alliance"
    assert page.locator("h1").first.inner_text() == heading
    (project / BROKEN_DRAFT).write_text(
        draft.replace("Attendance mentors pilot (Zanzibarquill", "Quillback broken draft (")
        .replace("date: 2026-11-16", "date: 16/11/2026")
        .replace("tags: [attendance,", "tags: [atendance,"),
        encoding="utf-8",
    )
    banner = page.locator(".kb-preview-banner")
    banner.wait_for(timeout=60000)  # the open page reloads by itself after the save
    text = re.sub(r"\s+", " ", banner.inner_text())
    assert "Preview: 2 problems in 1 draft." in text
    assert BROKEN_DRAFT in text
    assert "line 4, date: '16/11/2026' is not a date written YYYY-MM-DD. Fix: dates are written like date: 20" in text
    assert "'atendance' is not a known tag. Fix: did you mean 'attendance'?" in text
    assert page.locator("h1").first.inner_text() == heading  # the site is still shown
    assert page.locator(".kb-preview-errors").count() == 0 and proc.poll() is None
    screenshot(page, "preview-draft-banner-1280")
    assert_accessible(page)

    link = banner.get_by_role("link", name=BROKEN_DRAFT)
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the banner's link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies/draft-with-errors/")
    errors = page.locator(".kb-preview-errors")
    assert errors.locator("h1").inner_text() == "This draft cannot be shown yet"
    assert "is not a date written YYYY-MM-DD" in errors.inner_text()
    assert_accessible(page)

    phone.goto(base + "case-studies/")
    phone.locator(".kb-preview-banner").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert phone.locator("article h1").first.inner_text() == "Case studies"
    screenshot(phone, "preview-draft-banner-375")
    assert_accessible(phone)

    fixed = (project / BROKEN_DRAFT).read_text(encoding="utf-8")
    (project / BROKEN_DRAFT).write_text(fixed.replace("16/11/2026", "2026-11-16").replace("[atendance,", "[attendance,"))
    page.wait_for_function(
        "() => document.querySelector('article h1')?.textContent.includes('Quillback broken draft')", timeout=60000
    )
    assert page.locator(".kb-preview-banner").count() == 0  # the open page came back as the draft itself
    page.goto(base + "case-studies/")  # and the listings, redone by the rebuild, hold it with its badge, no banner
    assert page.locator(".kb-preview-banner").count() == 0
    assert page.locator(".kb-card", has_text="Quillback broken draft").locator(".kb-badge--draft").inner_text() == "Draft"
    assert proc.poll() is None


def test_drafts_carry_a_badge_in_listings_and_in_search(served, page, phone):
    _project, base, _proc, _log = served
    page.goto(base + "case-studies/")
    card = page.locator(".kb-card", has_text="Zanzibarquill")
    assert card.locator(".kb-badge--draft").inner_text() == "Draft"
    assert page.get_by_role("heading", name=re.compile(r"Zanzibarquill working draft\) Draft$")).count() == 1
    published = page.locator(".kb-card", has_text="Coaching pairs across the Year 6 to Year 7 transition")
    assert published.count() == 1 and published.locator(".kb-badge").count() == 0
    screenshot(page, "preview-listing-badge-1280")
    assert_accessible(page)
    page.select_option("#kb-filter-network", "equity")  # the filtered list is drawn by the script from rows.json
    page.get_by_role("button", name="Apply filters").click()
    drawn = page.locator("[data-kb-results] .kb-card", has_text="Zanzibarquill")
    drawn.wait_for(timeout=30000)
    assert drawn.locator(".kb-badge--draft").inner_text() == "Draft"
    assert page.locator("[data-kb-results] .kb-badge--draft").count() == 1

    page.goto(base)  # home's latest
    assert page.locator(".kb-card", has_text="Zanzibarquill").locator(".kb-badge--draft").inner_text() == "Draft"

    page.goto(base + "search/?q=zanzibarquill")  # answered by the preview's search service
    result = page.locator(".kb-result", has_text="Zanzibarquill")
    result.wait_for(timeout=30000)
    assert result.locator(".kb-badge--draft").inner_text() == "Draft"
    assert page.get_by_role("heading", name=re.compile(r"Zanzibarquill.* Draft$")).count() == 1
    screenshot(page, "preview-search-badge-1280")
    assert_accessible(page)

    phone.route(re.compile(r".*/api/search.*"), lambda route: route.abort())  # no service: the static fallback
    phone.goto(base + "search/?q=zanzibarquill")
    result = phone.locator(".kb-result", has_text="Zanzibarquill")
    result.wait_for(timeout=30000)
    assert result.locator(".kb-badge--draft").inner_text() == "Draft"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "preview-search-fallback-badge-375")
