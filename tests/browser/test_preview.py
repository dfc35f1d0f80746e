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
