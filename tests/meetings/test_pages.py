"""The meetings feature's pages, files and entry-page context (pages.py): CSV, tracker, organisations, minutes pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from kb.meetings import arising as A
from kb.meetings import minutes as M
from kb.meetings import pages as P
from kb.meetings.minutes import Action
from kb.meetings.organisations import Organisation, organisations
from kb.meetings.pages import (
    CSV_HEADER,
    actions_csv,
    by_reach,
    csv_row,
    first_open_groups,
    meeting_context,
    meeting_files,
    meeting_pages,
    network_titles,
    safe_cell,
    tracker_files,
)
from kb.meetings.tracker import PAGE_ROWS, ordered
from kb.site.plan import render_entry
from tests.meetings_fixture import DRAFT_MARKER, HOSTILE, MEMBERS_MARKER


def action(
    network="equity", owner="Network convener", status="open", due=dt.date(2026, 10, 1), days_overdue=0, index=0, text="Send data"
):
    return Action(f"minutes/{network}/2026-09-10", network, dt.date(2026, 9, 10), index, text, owner, due, status, days_overdue)


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell_guards_formulas(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("value, expected", [("\rcmd", "'\rcmd"), (5, "5"), (-3, "'-3"), (" =1", " =1"), ("'=1", "'=1")])
def test_safe_cell_of_other_values(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    "changes, cells",
    [
        (
            {},
            [
                "Equity",
                "2026-09-10",
                "Send data",
                "Network convener",
                "2026-10-01",
                "Open",
                "",
                "https://x.example/minutes/equity/2026-09-10/#action-1",
            ],
        ),
        (
            {"days_overdue": 53, "index": 2},
            [
                "Equity",
                "2026-09-10",
                "Send data",
                "Network convener",
                "2026-10-01",
                "Open",
                "53",
                "https://x.example/minutes/equity/2026-09-10/#action-3",
            ],
        ),
        (
            {"due": None, "status": "done"},
            [
                "Equity",
                "2026-09-10",
                "Send data",
                "Network convener",
                "",
                "Done",
                "",
                "https://x.example/minutes/equity/2026-09-10/#action-1",
            ],
        ),
        (
            {"network": "arts"},
            [
                "arts",
                "2026-09-10",
                "Send data",
                "Network convener",
                "2026-10-01",
                "Open",
                "",
                "https://x.example/minutes/arts/2026-09-10/#action-1",
            ],
        ),
    ],
)
def test_csv_row_cells(changes, cells):
    assert csv_row(action(**changes), {"equity": "Equity"}, "https://x.example/") == cells  # a network without a title: its id
    assert len(cells) == len(CSV_HEADER)


def test_agreed_at_is_left_empty_without_a_site_address():
    assert csv_row(action(), {"equity": "Equity"})[-1] == ""


def test_tracker_csv_links_each_meeting_by_its_full_address_or_says_why_not(cat, caplog):
    cat.site_url = "https://learning.example.org/"
    rows = list(csv.reader(io.StringIO(tracker_files(cat)["actions/actions.csv"])))[1:]
    assert rows and all(r[-1].startswith("https://learning.example.org/minutes/") and "#action-" in r[-1] for r in rows)
    cat.site_url = ""
    caplog.clear()
    rows = list(csv.reader(io.StringIO(tracker_files(cat)["actions/actions.csv"])))[1:]
    assert all(r[-1] == "" for r in rows)
    said = [r.getMessage() for r in caplog.records if "Agreed at" in r.getMessage()]
    assert len(said) == 1 and "set site_url in mkdocs.yml" in said[0]


def test_actions_csv_writes_the_header_then_guarded_rows_with_crlf():
    rows = [action(owner="=cmd|' /C calc'!A0", text="-2 pupils"), action(text='Say "hello", then go', index=1)]
    text = actions_csv(rows, {"equity": "+Equity"})
    assert text.endswith("\r\n") and text.count("\r\n") == 3
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == list(CSV_HEADER)
    assert parsed[1][:4] == ["'+Equity", "2026-09-10", "'-2 pupils", "'=cmd|' /C calc'!A0"]  # every cell guarded
    assert parsed[2][2] == 'Say "hello", then go'  # quoting left to the csv module


def test_tracker_csv_holds_the_open_rows_escaped_against_formulas(cat):
    text = tracker_files(cat)["actions/actions.csv"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Network", "Meeting", "Action", "Owner"]
    body = rows[1:]
    page_order = [
        a for g in M.group_actions(A.all_actions(cat), "network", network_titles(cat)) for a in g["actions"] if a.status == "open"
    ]
    assert [r[2] for r in body] == [safe_cell(a.action) for a in page_order]  # the tracker's default view, in its order
    assert sorted(r[2] for r in body) == sorted(safe_cell(a.action) for a in A.open_actions(cat))
    assert '\'=HYPERLINK("http://evil.example")' in [r[2] for r in body]
    assert HOSTILE + ' and "quotes"' in [r[2] for r in body]  # text kept exactly; csv quoting handles the quotes
    assert not any(MEMBERS_MARKER in c or DRAFT_MARKER in c for r in rows for c in r)


def test_all_actions_csv_of_no_rows_is_just_the_header(cat):
    assert actions_csv([], network_titles(cat)).strip().count("\n") == 0


def test_meeting_files_are_the_csv_and_the_json_rows(cat):
    assert set(meeting_files(cat)) == {
        "actions/actions.csv",
        "actions/open.json",
        "actions/rows/equity.json",
        "actions/rows/send.json",
    }


# --- the tracker page's first rows -------------------------------------------------------------


def test_first_open_groups_render_the_first_page_rows_grouped_by_network():
    arts = [action("arts", days_overdue=40 - i, index=i, text=f"Arts {i:02}") for i in range(30)]
    zoo = [action("zoo", index=i, text=f"Zoo {i:02}") for i in range(30)]
    closed = [action("arts", status="done", index=99, text="Done"), action("arts", status="dropped", index=98, text="Dropped")]
    titles = {"arts": "Arts", "zoo": "Zoo"}
    groups, total = first_open_groups(zoo + closed + arts, titles)
    assert total == 60  # every open action is counted, not only those shown
    assert [(g["key"], g["label"], len(g["actions"])) for g in groups] == [("arts", "Arts", 30), ("zoo", "Zoo", PAGE_ROWS - 30)]
    shown = [a for g in groups for a in g["actions"]]
    assert shown == [a for a in ordered(zoo + closed + arts, titles)[0] if a.status == "open"][:PAGE_ROWS]
    assert all(a.status == "open" for a in shown)


def test_first_open_groups_of_nothing_open():
    assert first_open_groups([action(status="done")], {}) == ([], 0)


# --- pages -----------------------------------------------------------------------------------


def test_meeting_pages_are_the_three_indexes_and_one_page_per_organisation(cat):
    pages = meeting_pages(cat)
    orgs = organisations(cat)
    assert [p.src_uri for p in pages] == ["meetings/index.md", "actions/index.md", "organisations/index.md"] + [
        f"organisations/{slug}.md" for slug in orgs
    ]
    assert [p.title for p in pages[:3]] == ["Meetings", "Actions", "Organisations"]
    assert [p.meta for p in pages[:3]] == [{"nav": True}, {"nav": True}, {}]
    westbrook = next(p for p in pages if p.src_uri == "organisations/westbrook-academy.md")
    assert westbrook.title == "Westbrook Academy"
    assert westbrook.description == "Meetings, case studies and register entries of Westbrook Academy."


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
    assert '=HYPERLINK("http://evil.example")' in [r["csv"][2] for r in rows]


def test_organisation_pages_list_meetings_and_escape_names(cat):
    pages = {p.src_uri: p for p in meeting_pages(cat)}
    index = pages["organisations/index.md"].render_html("organisations/")
    assert "Taking part in no network this year" in index and "Old Mill Nursery" in index
    assert "How names are matched" in index and "(chair)" in index
    hostile = [p for src, p in pages.items() if src.startswith("organisations/") and "quoted-org" in src]
    assert len(hostile) == 1
    html = hostile[0].render_html("organisations/quoted-org/")
    assert "<script>" not in html and "&#34;Quoted&#34; Org" in html
    westbrook = pages["organisations/westbrook-academy.md"].render_html("organisations/westbrook-academy/")
    assert 'href="../../minutes/equity/2026-09-10/"' in westbrook and 'href="../../networks/send/"' in westbrook
    assert HOSTILE not in index


def org(name: str, this_year: set[str]) -> Organisation:
    return Organisation(name.lower(), name, name.lower(), networks_this_year=this_year)


def test_by_reach_lists_this_years_organisations_widest_first_then_by_name():
    orgs = [org("zeta", {"a"}), org("Alpha", {"a"}), org("Old", set()), org("beta", {"a", "b"}), org("Gamma", {"a", "b", "c"})]
    assert [o.name for o in by_reach(orgs)] == ["Gamma", "beta", "Alpha", "zeta"]
    assert by_reach([]) == []


# --- entry pages -----------------------------------------------------------------------------


def test_minutes_context(cat):
    october = cat.entries["minutes/equity/2026-10-22"]
    ctx = meeting_context(october, cat)["minutes"]
    assert set(ctx) == {
        "state", "scheduled", "planned", "actions", "matters", "previous", "papers", "approval", "draft", "labels", "network"
    }  # fmt: skip
    assert ctx["scheduled"] is False and ctx["network"] == "equity" and ctx["previous"].ref == "minutes/equity/2026-09-10"
    assert ctx["state"] == "held" and ctx["draft"] is True and ctx["approval"] is None and ctx["papers"] == []
    assert [a.anchor for a in ctx["actions"]] == ["action-1", "action-2"]
    # every action open going into the meeting; those marked done or dropped with no date count as closed at it
    assert [(m.action.action, m.closed_here) for m in ctx["matters"]] == [
        ("Long overdue action", None),
        ("Finished action", "done"),
        ("Dropped action", "dropped"),
        ("Not yet due action", None),
    ]
    assert meeting_context(cat.entries["minutes/equity/2026-11-26"], cat)["minutes"]["scheduled"] is True


def test_network_context_counts_open_actions(cat):
    ctx = meeting_context(cat.entries["networks/equity"], cat)["network_meetings"]
    assert ctx["open_actions"] == 4 and ctx["overdue"] == 3
    assert ctx["next"].ref == "minutes/equity/2026-11-26" and ctx["latest"].ref == "minutes/equity/2026-10-22"
    names = [r["name"] for r in ctx["attendance"]]
    assert "Deputy head, Northgate Primary School" in names  # "(host)" dropped
    assert meeting_context(cat.entries["case-studies/coaching-year-7"], cat) == {}


def test_network_context_counts_meetings_and_caps_the_attendance_rows(cat, monkeypatch):
    ctx = meeting_context(cat.entries["networks/equity"], cat)["network_meetings"]
    assert ctx["count"] == 3 and ctx["minuted"] == 2 and ctx["terms"] == []  # no terms.yml in this project
    everyone = len(ctx["attendance"])
    assert everyone == 6 and ctx["attendance_rest"] == 0  # 5 attendees and 1 apology over the two minuted meetings
    monkeypatch.setattr(P, "HUB_ATTENDANCE_ROWS", 2)
    capped = meeting_context(cat.entries["networks/equity"], cat)["network_meetings"]
    assert capped["attendance"] == ctx["attendance"][:2] and capped["attendance_rest"] == everyone - 2


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
