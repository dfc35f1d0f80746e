"""Papers and approval (papers.py): files beside the minutes copied only for visible meetings, web addresses,
paths that would leave the folder refused; minutes approved in themselves or by a later meeting, else draft."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings.papers import Paper, approval, minutes_ref, paper_source, papers_of, published_papers
from kb.site.plan import render_entry
from tests.cycle_fixture import DRAFT_MARKER, MEMBERS_MARKER
from tests.factories import entry as record


@pytest.fixture
def cat(cycle):
    return cycle.catalogue()


def test_papers_are_files_beside_the_minutes_or_web_addresses(cat):
    assert papers_of(cat.entries["minutes/equity/2026-12-03"]) == [
        Paper("Attendance by pupil group", "minutes/equity/papers/attendance.pdf", False),
        Paper("National guidance on attendance", "https://example.org/guidance.pdf", True),
    ]


def test_only_the_papers_of_visible_meetings_are_published(cycle):
    assert published_papers(cycle.catalogue()) == {"minutes/equity/papers/attendance.pdf"}
    assert published_papers(cycle.catalogue(members=True)) == {
        "minutes/equity/papers/attendance.pdf",
        f"minutes/equity/papers/members-{MEMBERS_MARKER}.pdf",
    }


def test_a_build_copies_the_named_papers_and_nothing_else_under_minutes(cycle, tmp_path):
    from tests.conftest import build

    site = build(cycle.root, tmp_path / "public")
    assert (site / "minutes/equity/papers/attendance.pdf").read_bytes().startswith(b"%PDF")
    assert not (site / "minutes/equity/papers/never-named.pdf").exists()  # in the folder, named by no meeting
    assert not list(site.rglob(f"*{MEMBERS_MARKER}*")) and not list(site.rglob(f"*{DRAFT_MARKER}*"))
    members = build(cycle.root, tmp_path / "members", members=True)
    assert (members / f"minutes/equity/papers/members-{MEMBERS_MARKER}.pdf").exists()
    assert not list(members.rglob(f"*{DRAFT_MARKER}*"))


@pytest.mark.parametrize(
    "file, source",
    [
        ("papers/a.pdf", "content/minutes/equity/papers/a.pdf"),
        ("a.docx", "content/minutes/equity/a.docx"),
        ("papers/../a.pdf", "content/minutes/equity/a.pdf"),
        ("../send/a.pdf", None),  # another network's folder
        ("../../../etc/passwd", None),
        ("/etc/passwd", None),
        ("C:\\papers\\a.pdf", None),
        ("papers\\a.pdf", None),
        ("2026-10-01.md", None),  # a page, not a paper
        ("papers/NOTES.MD", None),
        ("", None),
    ],
)
def test_paper_source_stays_inside_the_networks_folder(file, source):
    e = record("minutes/equity/2026-12-03", date="2026-12-03")
    e.path = "content/minutes/equity/2026-12-03.md"
    assert paper_source(e, file) == source


def test_missing_or_outside_paper_files_are_errors_once_published_and_warnings_in_a_draft(project):
    meeting = (
        "---\ntitle: Equity, 1 December\nsummary: S.\ndate: 2026-12-01\nnetworks: [equity]\nstatus: {status}\n"
        "papers:\n  - {{title: Gone, file: papers/gone.pdf}}\n  - {{title: Escape, file: ../../../secret.pdf}}\n"
        "  - {{title: Nothing}}\n---\nN.\n"
    )
    project.write("content/minutes/equity/2026-12-01.md", meeting.format(status="published"))
    found = {
        p.field: p for p in project.problems() if p.path.endswith("2026-12-01.md") and p.field and p.field.startswith("papers")
    }
    assert found["papers[0].file"].message == "there is no file content/minutes/equity/papers/gone.pdf."
    assert "is not a file inside content/minutes/equity/" in found["papers[1].file"].message
    assert found["papers[2]"].message == "has neither a file nor a web address."
    assert {p.severity for p in found.values()} == {"error"}
    assert all(p.line for p in found.values()) and all(p.hint for p in found.values())
    project.write("content/minutes/equity/2026-12-01.md", meeting.format(status="draft"))
    draft = [
        p for p in project.problems() if p.path.endswith("2026-12-01.md") and p.field in ("papers[0].file", "papers[1].file")
    ]
    assert len(draft) == 2 and {p.severity for p in draft} == {"warning"}


def test_approval_in_the_minutes_themselves_or_by_a_later_meeting(cat):
    may = approval(cat.entries["minutes/equity/2026-05-14"], cat)
    assert may.date == dt.date(2026, 9, 17) and may.meeting.ref == "minutes/equity/2026-09-17"
    assert may.by == "the meeting of 17 September 2026"
    assert approval(cat.entries["minutes/equity/2026-09-17"], cat) is None  # not yet: draft minutes
    e = record("minutes/equity/2026-01-10", date="2026-01-10")
    e.meta["approved"] = {"date": dt.date(2026, 2, 1), "by": "Chair's action"}
    assert (approval(e, cat).date, approval(e, cat).by, approval(e, cat).meeting) == (dt.date(2026, 2, 1), "Chair's action", None)


def test_unapproved_minutes_are_marked_draft_where_they_appear(cat):
    september = cat.entries["minutes/equity/2026-09-17"]
    page = render_entry(september, "", september.url, cat)
    assert "Draft minutes, not yet approved." in page and "Draft minutes</span> not yet approved" in page
    may = cat.entries["minutes/equity/2026-05-14"]
    approved = render_entry(may, "", may.url, cat)
    assert "Draft minutes" not in approved and 'by <a href="../2026-09-17/">the meeting of 17 September 2026</a>' in approved
    hub = render_entry(cat.entries["networks/equity"], "", "networks/equity/", cat)
    assert "Draft minutes, not yet approved" in hub  # the latest minutes, on the hub
    scheduled = render_entry(cat.entries["minutes/equity/2026-12-03"], "", "minutes/equity/2026-12-03/", cat)
    assert "Draft minutes" not in scheduled  # an agenda is not minutes


def test_the_papers_are_on_the_meeting_page(cat):
    december = cat.entries["minutes/equity/2026-12-03"]
    page = render_entry(december, "", december.url, cat)
    assert '<a href="../papers/attendance.pdf">Attendance by pupil group</a>' in page
    assert '<a href="https://example.org/guidance.pdf" rel="noopener">National guidance on attendance</a>' in page


@pytest.mark.parametrize(
    "written, network, ref",
    [
        ("minutes/equity/2026-10-08", "send", "minutes/equity/2026-10-08"),
        ("2026-10-08", "send", "minutes/send/2026-10-08"),
        ("/minutes/equity/2026-10-08/", "x", "minutes/equity/2026-10-08"),
        ("8 October", "send", None),
    ],
)
def test_minutes_ref(written, network, ref):
    assert minutes_ref(written, network) == ref
