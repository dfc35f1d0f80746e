"""Meetings on the catalogue: matters arising, overdue, the tracker's grouping and CSV, convenor checks, prefill."""
from __future__ import annotations

import csv
import json
import datetime as dt
import io

import pytest

from kb import meetings as M
from kb.convenor import check_meeting
from kb.meeting_pages import actions_csv, meeting_context, meeting_pages, network_titles, safe_cell, tracker_files
from kb.site import render_entry

from .meetings_fixture import DRAFT_MARKER, HOSTILE, MEMBERS_MARKER, write_meetings

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def meetings_project(project):
    write_meetings(project)
    return project


@pytest.fixture
def cat(meetings_project):
    catalogue = meetings_project.catalogue()
    assert catalogue.today == TODAY  # KB_TODAY from tests/conftest.py
    return catalogue


def test_matters_arising_are_the_previous_meetings_open_actions(cat):
    october = cat.entries["minutes/equity/2026-10-22"]
    carried = M.matters_arising(october, cat)
    assert [a.action for a in carried] == ["Long overdue action", "Not yet due action"]  # done and dropped stop
    assert {a.meeting_ref for a in carried} == {"minutes/equity/2026-09-10"}
    assert [a.anchor for a in carried] == ["action-1", "action-4"]  # links back to the row where it was agreed


def test_previous_meeting_skips_what_this_build_cannot_show(meetings_project):
    public = meetings_project.catalogue()
    scheduled = public.entries["minutes/equity/2026-11-26"]
    assert M.previous_meeting(scheduled, public).ref == "minutes/equity/2026-10-22"
    members = meetings_project.catalogue(members=True)
    before = M.previous_meeting(members.entries["minutes/equity/2026-11-26"], members)
    assert before.ref == "minutes/equity/2026-11-05"
    assert [a.action for a in M.matters_arising(members.entries["minutes/equity/2026-11-26"], members)] == [
        f"Members-only action {MEMBERS_MARKER}"]


def test_first_meeting_has_no_matters_arising(cat):
    assert M.matters_arising(cat.entries["minutes/equity/2026-09-10"], cat) == []
    assert M.previous_meeting(cat.entries["minutes/send/2026-11-02"], cat) is None


def test_overdue_is_counted_from_kb_today(cat):
    by_text = {a.action: a for a in M.all_actions(cat)}
    assert by_text["Long overdue action"].days_overdue == (TODAY - dt.date(2026, 10, 1)).days == 53
    assert by_text["Not yet due action"].overdue is False
    assert by_text["Finished action"].overdue is False  # done is never overdue, however old
    assert by_text["Send the checklist"].days_overdue == 13


def test_scheduled_means_still_to_happen(cat):
    assert M.is_scheduled(cat.entries["minutes/equity/2026-11-26"], TODAY)
    assert not M.is_scheduled(cat.entries["minutes/equity/2026-10-22"], TODAY)
    assert [e.ref for e in M.upcoming_meetings(cat)] == ["minutes/equity/2026-11-26"]


def test_tracker_has_open_actions_overdue_first_and_no_private_ones(cat):
    rows = M.open_actions(cat)
    assert all(a.status == "open" for a in rows)
    flags = [a.overdue for a in rows]
    assert flags == sorted(flags, reverse=True)  # overdue first
    assert rows[0].days_overdue >= rows[1].days_overdue or rows[0].due <= rows[1].due
    assert not any(MEMBERS_MARKER in a.action or DRAFT_MARKER in a.action for a in M.all_actions(cat))


def test_grouping_by_network_and_by_owner(cat):
    titles = network_titles(cat)
    by_network = M.group_actions(M.open_actions(cat), "network", titles)
    assert [g["key"] for g in by_network] == ["equity", "send"]  # both have overdue; equity has more
    assert by_network[0]["label"] == "Equity"
    assert by_network[0]["overdue"] == 3
    equity_rows = by_network[0]["actions"]
    assert [a.overdue for a in equity_rows] == [True, True, True, False]
    by_owner = {g["key"]: g for g in M.group_actions(M.open_actions(cat), "owner", titles)}
    # "Network convener" and "network convener." are one owner after normalisation
    assert {a.action for a in by_owner["network convener"]["actions"]} >= {"Long overdue action", "Not yet due action"}


def test_meetings_per_term_follows_the_term_dates(cat):
    from kb.terms import parse_terms
    terms, problems = parse_terms("2026-27:\n  autumn: {start: 2026-09-03, end: 2026-12-18}\n  spring: {start: 2027-01-05, end: 2027-03-26}\n  summer: {start: 2027-04-12, end: 2027-07-21}\n")
    assert problems == []
    equity = M.meetings_by_network(cat)["equity"]
    assert M.meetings_per_term(equity, terms) == [("Autumn term 2026", 3)]
    assert M.meetings_per_term(equity, []) == []


# --- convenor checks -------------------------------------------------------------------------

def _warnings(meetings_project, ref):
    from kb.catalogue import load_project
    problems = load_project(meetings_project.root)[1]
    path = f"content/{ref}.md"
    return [p for p in problems if p.path == path]


def test_late_agenda_warns_with_line_and_fix(meetings_project):
    found = [p for p in _warnings(meetings_project, "minutes/equity/2026-10-22") if p.field == "agenda_published"]
    assert len(found) == 1
    p = found[0]
    assert p.severity == "warning" and p.line == 14 and "4 day(s)" in p.message and "2026-10-15" in p.hint


def test_missing_agenda_within_a_week_warns(meetings_project):
    found = [p for p in _warnings(meetings_project, "minutes/equity/2026-11-26") if p.field == "agenda_published"]
    assert len(found) == 1 and "within a week" in found[0].message and found[0].line == 8
    assert "agenda_published: YYYY-MM-DD" in found[0].hint


def test_missing_agenda_far_ahead_is_fine(meetings_project):
    assert _warnings(meetings_project, "minutes/equity/2026-12-10") == []  # draft, 17 days ahead


def test_past_meeting_without_decisions_or_attendees_warns(meetings_project):
    fields = {p.field for p in _warnings(meetings_project, "minutes/equity/2026-10-22")}
    assert "decisions" in fields and "attendees" not in fields
    meetings_project.write("content/minutes/send/2026-10-01.md", "---\ntitle: SEND, 1 October\nsummary: S.\ndate: 2026-10-01\n"
                           "networks: [send]\nstatus: published\ndecisions: [\"One\"]\n---\nNotes.\n")
    found = [p for p in _warnings(meetings_project, "minutes/send/2026-10-01") if p.field == "attendees"]
    assert len(found) == 1 and "no attendees" in found[0].message and found[0].severity == "warning"


def test_action_due_before_its_meeting_and_long_overdue(meetings_project):
    found = [p for p in _warnings(meetings_project, "minutes/equity/2026-10-22") if p.field == "actions[1].due"]
    messages = " ".join(p.message for p in found)
    assert "before the meeting that agreed it" in messages and "53 days after it was due" in messages
    assert all(p.line == 23 for p in found)
    assert not [p for p in _warnings(meetings_project, "minutes/send/2026-11-02") if p.field.startswith("actions")]  # 13 days: under 30


def test_convenor_checks_are_warnings_only(meetings_project):
    from kb.catalogue import load_project
    problems = load_project(meetings_project.root)[1]
    assert problems and all(p.severity == "warning" for p in problems)


def test_check_meeting_ignores_other_types(cat):
    assert check_meeting(cat.entries["case-studies/coaching-year-7"], TODAY) == []


# --- CSV and pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("Plain text", "Plain text"), ("a=b", "a=b"), ("", ""), (None, ""),
])
def test_safe_cell_guards_formulas(value, expected):
    assert safe_cell(value) == expected


def test_tracker_csv_holds_the_open_rows_escaped_against_formulas(cat):
    text = tracker_files(cat)["actions/actions.csv"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Network", "Meeting", "Action", "Owner"]
    body = rows[1:]
    page_order = [a for g in M.group_actions(M.all_actions(cat), "network", network_titles(cat)) for a in g["actions"] if a.status == "open"]
    assert [r[2] for r in body] == [safe_cell(a.action) for a in page_order]  # the tracker's default view, in its order
    assert sorted(r[2] for r in body) == sorted(safe_cell(a.action) for a in M.open_actions(cat))
    assert "'=HYPERLINK(\"http://evil.example\")" in [r[2] for r in body]
    assert HOSTILE + ' and "quotes"' in [r[2] for r in body]  # text kept exactly; csv quoting handles the quotes
    assert not any(MEMBERS_MARKER in c or DRAFT_MARKER in c for r in rows for c in r)


def test_all_actions_csv_of_no_rows_is_just_the_header(cat):
    assert actions_csv([], network_titles(cat)).strip().count("\n") == 0


def test_minutes_page_escapes_entry_text_and_marks_overdue(cat):
    entry = cat.entries["minutes/equity/2026-10-22"]
    html = render_entry(entry, "<p>Notes.</p>", entry.url, cat)
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<b>Owner</b>" not in html and "&lt;b&gt;Owner&lt;/b&gt;" in html
    assert "Overdue by 53 days" in html and "kb-overdue" in html
    assert 'href="../2026-09-10/#action-1"' in html  # matters arising link back to where it was agreed
    assert "Matters arising" in html and "Decisions" in html


def test_scheduled_meeting_shows_agenda_not_minutes(cat):
    entry = cat.entries["minutes/equity/2026-11-26"]
    html = render_entry(entry, "", entry.url, cat)
    assert "Scheduled" in html and "Governor links" in html
    assert "kb-attendance-h" not in html and "kb-decisions-h" not in html
    assert "calendar/equity.ics" in html


def test_generated_pages_escape_and_hide_private(cat):
    pages = {p.src_uri: p for p in meeting_pages(cat)}
    assert {"meetings/index.md", "actions/index.md", "organisations/index.md"} <= set(pages)
    for src, page in pages.items():
        html = page.render_html(src.removesuffix("index.md").removesuffix(".md") + ("" if src.endswith("index.md") else "/"))
        assert "<script>alert" not in html, src
        assert MEMBERS_MARKER not in html and DRAFT_MARKER not in html, src
    tracker = pages["actions/index.md"].render_html("actions/")
    assert "&lt;script&gt;" in tracker and 'data-key="' in tracker
    # the rows the script filters and exports are JSON data, kept exact: the script writes them as text and
    # guards formulas when it builds the CSV (tests/browser/test_meetings.py proves both)
    rows = json.loads(tracker_files(cat)["actions/open.json"])
    assert any(HOSTILE in r["action"] for r in rows)
    assert "=HYPERLINK(\"http://evil.example\")" in [r["csv"][2] for r in rows]


def test_network_context_counts_open_actions(cat):
    ctx = meeting_context(cat.entries["networks/equity"], cat)["network_meetings"]
    assert ctx["open_actions"] == 4 and ctx["overdue"] == 3
    assert ctx["next"].ref == "minutes/equity/2026-11-26" and ctx["latest"].ref == "minutes/equity/2026-10-22"
    names = [r["name"] for r in ctx["attendance"]]
    assert "Deputy head, Northgate Primary School" in names  # "(host)" dropped
    assert meeting_context(cat.entries["case-studies/coaching-year-7"], cat) == {}


# --- prefill ---------------------------------------------------------------------------------

def test_prefill_starts_from_the_previous_meeting(cat):
    meta = M.prefill_minutes(cat, "equity", dt.date(2026, 11, 1))
    assert meta["agenda"][0] == "Matters arising from 22 October"
    carried = [item for item in meta["agenda"] if item.startswith("Matters arising: ")]
    assert len(carried) == 2 and "due 2026-10-01" in carried[1]
    assert meta["attendees"] == cat.entries["minutes/equity/2026-10-22"].meta["attendees"]
    assert meta["meeting"]["location"].endswith('Room "B", Eastfield')
    assert meta["status"] == "draft" and meta["date"] == dt.date(2026, 11, 1) and meta["networks"] == ["equity"]
    assert meta["title"] == "Equity meeting, 1 November 2026"


def test_prefill_accepts_entries_and_handles_a_first_meeting(cat):
    meta = M.prefill_minutes(list(cat.entries.values()), "send", dt.date(2026, 10, 1))
    assert meta["agenda"] == ["Matters arising", "Any other business"] and meta["attendees"] == []


def test_indexes_are_built_once(cat, monkeypatch):
    calls = []
    real = M.meetings_by_network
    monkeypatch.setattr(M, "meetings_by_network", lambda source: calls.append(1) or real(source))
    cat.derived.clear()
    for entry in cat.of_type("minutes"):
        M.matters_arising(entry, cat)
        M.next_and_latest("equity", cat)
    assert len(calls) == 2  # once for the previous-meeting index, once for the per-network cache
