"""Every rule of the content model, each broken once: the message names the file, the field and
the fix, and the build fails with exactly the same words."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kb.building.runner import BuildError, build_site
from tests.factories import REGISTER, case

CASE = "content/case-studies/coaching-year-7.md"


MINUTES = """---
title: Equity network meeting
summary: Autumn meeting.
date: 2026-03-12
networks: [equity]
status: published
meeting: {start: "16:00", end: "17:30", format: in-person}
actions:
  - {action: Share the tracker, owner: Convener, due: 2026-04-01, status: open}
---
Notes.
"""

RESEARCH = """---
title: Oracy review
summary: What we read.
date: 2026-03-20
networks: [equity]
status: published
month: "2026-03"
reading: {title: Talk for learning, authors: [A. Author], year: 2019}
---
Notes.
"""

SUMMARY = """---
title: Spring summary
summary: What we learned.
date: 2026-04-01
networks: [equity]
status: published
period: {from: 2026-01-05, to: 2026-03-27}
sources: [case-studies/coaching-year-7]
---
Summary.
"""

# (id, file, content, field named, words in message, words in fix)
DEFECTS = [
    ("missing-title", CASE, case(title=None), "title", "is missing", "title: "),
    ("title-too-long", CASE, case(title="T" * 121), "title", "at most 120", "shorten it by 1"),
    ("summary-too-long", CASE, case(summary="S" * 301), "summary", "at most 300", "shorten it"),
    ("date-format", CASE, case(date="12/03/2026"), "date", "not a date written YYYY-MM-DD", "2026-03-12"),
    ("date-impossible", CASE, case(date="2026-02-30"), "date", "not a real calendar date", "2026-02-28"),
    ("unknown-tag", CASE, case(tags="[coachin]"), "tags[0]", "'coachin' is not a known tag", "did you mean 'coaching'"),
    ("unknown-network", CASE, case(networks="[equality]"), "networks[0]", "not a known network", "did you mean 'equity'"),
    ("no-networks", CASE, case(networks="[]"), "networks", "at least one is needed", "networks: [equity]"),
    ("bad-status", CASE, case(status="publish"), "status", "not a known value", "did you mean 'published'"),
    ("bad-visibility", CASE, case(visibility="private"), "visibility", "not a known value", "public, members"),
    ("bad-approach", CASE, case(approach="enquiry"), "approach", "not a known value", "did you mean 'enquiring'"),
    ("missing-approach", CASE, case(approach=None), "approach", "is missing", "approach: enquiring"),
    (
        "type-mismatch",
        CASE,
        case(type="research"),
        "type",
        "files in content/case-studies/ are of type 'case-study'",
        "type: case-study",
    ),
    ("comma-list", CASE, case(tags="coaching, attendance"), "tags", "comma-separated", "[coaching, attendance]"),
    (
        "colon-unquoted",
        CASE,
        case(title="Oracy: a review"),
        "title",
        "not valid YAML",
        "put quotes around text containing a colon",
    ),
    ("tab-indent", CASE, case(tags="\n\t- coaching"), "tags", "indented with a tab", "type spaces instead"),
    (
        "curly-quotes",
        CASE,
        case(title="\u201cOracy: a review\u201d"),
        "title",
        "uses curly quotes",
        'replace them with straight quotes, e.g. title: "Oracy: a review"',
    ),
    (
        "network-by-name",
        CASE,
        case(networks="[SEND network]"),
        "networks[0]",
        "'SEND network' is the name of the network 'send'; networks are written as their id.",
        "write send instead of SEND network",
    ),
    (
        "tag-synonym",
        CASE,
        case(tags="[absence]"),
        "tags[0]",
        "'absence' is a synonym of the tag 'attendance'; tags are written as their id.",
        "write attendance instead of absence",
    ),
    (
        "empty-body",
        CASE,
        case().replace("We coached every new pupil.\n", ""),
        None,
        "no text below its front matter",
        "write the entry's text",
    ),
    (
        "broken-wiki-link",
        CASE,
        case().replace("We coached", "See [[case-studies/no-such-study]]. We coached"),
        "link",
        "does not lead to an entry",
        "correct the reference",
    ),
    (
        "wiki-typo",
        CASE,
        case().replace("We coached", "See [[case-studies/coaching-year7]]. We coached"),
        "link",
        "Did you mean [[case-studies/coaching-year-7]]",
        "correct the reference",
    ),
    (
        "broken-md-link",
        CASE,
        case().replace("We coached", "See [x](../case-studies/nope.md). We coached"),
        "link",
        "does not lead to an existing file",
        "relative path",
    ),
    (
        "minutes-name",
        "content/minutes/equity/march.md",
        MINUTES,
        "file name",
        "not a valid file name for a minutes",
        "YYYY-MM-DD",
    ),
    (
        "minutes-date-mismatch",
        "content/minutes/equity/2026-03-13.md",
        MINUTES,
        "date",
        "the file name says 2026-03-13",
        "file name the meeting date",
    ),
    (
        "minutes-unknown-network-folder",
        "content/minutes/equality/2026-03-12.md",
        MINUTES.replace("[equity]", "[equity]"),
        "networks",
        "folder 'equality' is not a known network",
        "content/minutes/<network-id>/",
    ),
    (
        "action-missing-owner",
        "content/minutes/equity/2026-03-12.md",
        MINUTES.replace("owner: Convener, ", ""),
        "actions[0].owner",
        "is missing",
        "owner: Network convenor",
    ),
    (
        "action-bad-due",
        "content/minutes/equity/2026-03-12.md",
        MINUTES.replace("due: 2026-04-01", "due: next week"),
        "actions[0].due",
        "not a date",
        "2026-03-12",
    ),
    (
        "action-bad-status",
        "content/minutes/equity/2026-03-12.md",
        MINUTES.replace("status: open}", "status: closed}"),
        "actions[0].status",
        "not a known value",
        "open, done, dropped",
    ),
    (
        "meeting-time",
        "content/minutes/equity/2026-03-12.md",
        MINUTES.replace('start: "16:00"', "start: 4pm"),
        "meeting.start",
        "not a time written HH:MM",
        '"16:00"',
    ),
    (
        "research-month",
        "content/research/2026-04-oracy-review.md",
        RESEARCH,
        "month",
        "the file name starts 2026-04",
        "name the file 2026-03-<slug>.md",
    ),
    (
        "research-no-year",
        "content/research/2026-03-oracy-review.md",
        RESEARCH.replace(", year: 2019", ""),
        "reading.year",
        "is missing",
        "year: 2019",
    ),
    (
        "register-no-organisation",
        "register/peer-coaching.md",
        REGISTER.replace("organisation: Northgate Primary School", "role: Head"),
        "offered_by.organisation",
        "is missing",
        "organisation: Northgate Primary School",
    ),
    (
        "summary-bad-source",
        "content/summaries/spring-2026.md",
        SUMMARY.replace("case-studies/coaching-year-7", "case-studies/missing"),
        "sources[0]",
        "is not an entry",
        "case-studies/transition-coaching",
    ),
    (
        "summary-period-reversed",
        "content/summaries/spring-2026.md",
        SUMMARY.replace("from: 2026-01-05, to: 2026-03-27", "from: 2026-03-27, to: 2026-01-05"),
        "period.to",
        "is before",
        "swap the dates",
    ),
    (
        "capital-file-name",
        "content/case-studies/Coaching Study.md",
        case(),
        "file name",
        "not a valid file name",
        "rename the file to coaching-study.md",
    ),
    (
        "not-utf8",
        CASE,
        case(title="Caf\u00e9 coaching").encode("latin-1"),
        None,
        "not saved as UTF-8",
        "re-save the file with the encoding 'UTF-8'",
    ),
    ("empty-file", CASE, "", None, "the file is empty", "kb new"),
    ("unclosed", CASE, "---\ntitle: A\nsummary: B\n\nBody text\n", None, "never closed", "add a line '---'"),
    (
        "list-front-matter",
        CASE,
        "---\n- title: A\n- summary: B\n---\nBody\n",
        None,
        "is a list, not a set of fields",
        "one 'field: value' per line",
    ),
    ("no-front-matter", CASE, "Just some text\n", None, "has no front matter", "two '---' lines"),
    (
        "network-bad-model",
        "content/networks/send.md",
        "---\ntitle: SEND\nsummary: S.\nmodel: mesh\nstage: facilitated\nconvener: Head\ncadence: termly\nfunctions: [peer-support]\nphases: [primary]\nstatus: published\n---\nText.\n",
        "model",
        "not a known value",
        "did you mean 'meshed'",
    ),
    (
        "publish-links-draft",
        CASE,
        case().replace("We coached", "See [[case-studies/draft-one]]. We coached"),
        "link",
        "which is not published",
        "publish that entry first",
    ),
    ("date-too-early", CASE, case(date="0001-01-01"), "date", "is not in the years 1900 to 2100", "check the year"),
    ("date-too-late", CASE, case(date="9999-12-31"), "date", "is not in the years 1900 to 2100", "check the year"),
    ("list-too-long", CASE, case(tags="[" + ", ".join(["coaching"] * 301) + "]"), "tags", "at most 300 are allowed", "split"),
    ("reserved-name", "content/case-studies/index.md", case(), "file name", "'index' is a reserved name", "a name of its own"),
    (
        "network-reserved-name",
        "content/networks/index.md",
        case(),
        "file name",
        "'index' is a reserved name",
        "a name of its own",
    ),
    ("status-twice", CASE, case() + "", "status", "is written twice, on lines 7 and 9", "keep the line you mean"),
    ("escape-character", CASE, case(title='"Coaching \\e in Year 7"'), "title", "contains U+001B", "delete it"),
]
DEFECTS = [
    (
        name,
        rel,
        text.replace("approach: enquiring", "approach: enquiring\nstatus: draft") if name == "status-twice" else text,
        *rest,
    )
    for name, rel, text, *rest in DEFECTS
]


@pytest.mark.parametrize("name,relpath,content,field,message,hint", DEFECTS, ids=[d[0] for d in DEFECTS])
def test_defect_is_named_with_file_field_and_fix(project, name, relpath, content, field, message, hint):
    if relpath != CASE:
        (project.root / CASE).unlink()
    if name == "publish-links-draft":
        project.write("content/case-studies/draft-one.md", case(title="Draft one", status="draft"))
    project.write(relpath, content)
    problems = [p for p in project.problems() if p.severity == "error"]
    matching = [p for p in problems if message in p.message]
    assert matching, f"no problem saying {message!r}; got {[p.format() for p in problems]}"
    problem = matching[0]
    assert problem.path == relpath
    assert problem.field == field
    assert hint in problem.hint
    with pytest.raises(BuildError) as failed:
        build_site(project.root / "mkdocs.yml", project.root / "site")
    assert problem.format() in str(failed.value)
    assert "Traceback" not in str(failed.value)


def test_there_are_at_least_25_distinct_defects():
    assert len({d[0] for d in DEFECTS}) >= 25


def test_lines_point_at_the_offending_field(project):
    project.write(CASE, case(tags="[coachin]"))
    (problem,) = [p for p in project.problems() if p.field == "tags[0]"]
    assert problem.line == 6


def test_tab_and_curly_quotes_are_found_on_their_own_line(project):
    project.write(CASE, case(tags="\n  - coaching\n\t- attendance"))
    (problem,) = project.problems()
    assert (problem.line, problem.field) == (8, "tags")
    project.write(CASE, case(summary="\u2018Talk\u2019 in class: what we learned"))
    (problem,) = project.problems()
    assert (problem.line, problem.field) == (3, "summary") and "curly quotes" in problem.message


def test_a_tag_label_and_a_network_title_are_pointed_to_their_ids(project):
    project.write(CASE, case(tags="[Coaching, mentoring]", networks="[Equity network, equality]"))
    by_field = {p.field: p for p in project.problems()}
    assert by_field["tags[0]"].hint.startswith("write coaching instead of Coaching")
    assert by_field["tags[1]"].hint.startswith("write coaching instead of mentoring")
    assert by_field["networks[0]"].hint.startswith("write equity instead of Equity network")
    assert by_field["networks[1]"].message == "'equality' is not a known network."  # a typo keeps its did-you-mean


def test_bom_and_crlf_file_is_valid(project):
    project.write(CASE, b"\xef\xbb\xbf" + case().replace("\n", "\r\n").encode())
    assert project.problems() == []


def test_ambiguous_bare_link_names_every_candidate(project):
    project.write("register/coaching-year-7.md", REGISTER)
    project.write("content/case-studies/other.md", case(title="Other").replace("We coached", "See [[coaching-year-7]]. We"))
    messages = [p.message for p in project.problems()]
    assert any("matches more than one entry: case-studies/coaching-year-7, register/coaching-year-7" in m for m in messages)
    assert any("also used by register/coaching-year-7" in m for m in messages)


def test_unknown_field_is_a_warning_with_a_suggestion(project):
    project.write(CASE, case(sumary="typo"))
    (problem,) = project.problems()
    assert problem.severity == "warning" and problem.field == "sumary" and "did you mean 'summary'" in problem.hint


def test_real_mkdocs_build_fails_with_the_same_words_and_no_traceback(project):
    project.write(CASE, case(tags="[coachin]"))
    (problem,) = project.problems()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project.root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=project.root,
    )
    assert done.returncode != 0
    assert problem.format() in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_failed_build_leaves_previous_site_untouched(project):
    site = project.root / "site"
    build_site(project.root / "mkdocs.yml", site)
    before = (site / "case-studies" / "coaching-year-7" / "index.html").read_text()
    project.write(CASE, case(title="Changed title", tags="[coachin]"))
    with pytest.raises(BuildError):
        build_site(project.root / "mkdocs.yml", site)
    assert (site / "case-studies" / "coaching-year-7" / "index.html").read_text() == before
    assert not [p for p in project.root.iterdir() if p.name.startswith(".kb-building-")]
