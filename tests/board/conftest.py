"""Fixtures shared by the board tests: a project with term dates, a quiet network and meetings on the term boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.project import load_project

TODAY = dt.date(2026, 11, 23)
TERMS = """\
2026-27:
  autumn: {start: 2026-09-01, end: 2026-12-18}
  spring: {start: 2027-01-05, end: 2027-03-26}
  summer: {start: 2027-04-12, end: 2027-07-21}
2025-26:
  autumn: {start: 2025-09-03, end: 2025-12-19}
  spring: {start: 2026-01-05, end: 2026-03-27}
  summer: {start: 2026-04-13, end: 2026-07-22}
"""
NETWORK = """\
---
title: {title}
summary: A network for testing.
model: meshed
stage: facilitated
convener: Network convener
cadence: half-termly
functions: [knowledge-sharing]
phases: [primary]
status: published
---
Body.
"""


def minutes(date: str, *, status="published", visibility="public", decisions=(), actions=(), title="Meeting") -> str:
    lines = [
        "---",
        f"title: {title} {date}",
        "summary: A meeting.",
        f"date: {date}",
        "networks: [equity]",
        f"status: {status}",
        f"visibility: {visibility}",
        'meeting: {start: "16:00", end: "17:30", format: in-person}',
        "agenda: [Matters arising]",
    ]
    if decisions:
        lines.append("attendees: [Convener]")
        lines.append("decisions:")
        lines += [f"  - {d}" for d in decisions]
    if actions:
        lines.append("actions:")
        for text, due, st in actions:
            lines += [f"  - action: {text}", "    owner: Convener", f"    due: {due}", f"    status: {st}"]
    return "\n".join(lines + ["---", "Notes.", ""])


@pytest.fixture
def digest_project(project):
    project.write("content/terms.yml", TERMS)
    project.write("content/networks/quiet.md", NETWORK.format(title="Quiet"))
    # Summer 2026: a meeting on the last teaching day and one in the holiday (counts in summer: the window).
    project.write(
        "content/minutes/equity/2026-07-22.md",
        minutes(
            "2026-07-22",
            decisions=["Adopt the tracker", "Meet termly"],
            actions=[("Send data", "2026-08-01", "done"), ("Write it up", "2026-09-30", "open")],
        ),
    )
    project.write("content/minutes/equity/2026-08-20.md", minutes("2026-08-20", decisions=["Holiday decision"]))
    # Autumn 2026: first day of term, held; a future meeting (scheduled); a draft and a members-only meeting.
    project.write(
        "content/minutes/equity/2026-09-01.md",
        minutes(
            "2026-09-01",
            decisions=["Start the pilot"],
            actions=[
                ("Book room", "2026-09-10", "done"),
                ("Survey schools", "2026-10-01", "open"),
                ("Plan spring", "2027-01-20", "open"),
                ("Old idea", "2026-10-01", "dropped"),
            ],
        ),
    )
    project.write("content/minutes/equity/2026-12-01.md", minutes("2026-12-01"))
    project.write(
        "content/minutes/equity/2026-10-05.md",
        minutes(
            "2026-10-05",
            status="draft",
            title="Zanzibarquill",
            decisions=["Secret draft decision"],
            actions=[("Draft action", "2026-10-10", "open")],
        ),
    )
    project.write(
        "content/minutes/equity/2026-10-20.md",
        minutes(
            "2026-10-20",
            visibility="members",
            title="Quokkamembers",
            decisions=["Members decision"],
            actions=[("Members action", "2026-10-25", "open")],
        ),
    )
    # A case study shared by two networks counts once in the totals; one dated 2026-08-31 is summer's.
    project.write(
        "content/case-studies/shared-study.md",
        """\
---
title: Shared study
summary: Two networks together.
date: 2026-09-02
networks: [equity, send]
status: published
approach: enquiring
---
Body.
""",
    )
    project.write(
        "content/case-studies/late-summer.md",
        """\
---
title: Late summer study
summary: Written in the holiday.
date: 2026-08-31
networks: [send]
status: published
approach: enquiring
---
Body.
""",
    )
    project.write(
        "content/summaries/autumn-2026.md",
        """\
---
title: Autumn summary
summary: For the board.
date: 2026-11-20
networks: [equity]
status: published
period: {from: 2026-09-01, to: 2026-11-20}
sources: [case-studies/shared-study]
---
Body.
""",
    )
    return project


def catalogue(project, members=False):
    cat, problems = load_project(project.root, members=members, today=TODAY)
    assert not [p for p in problems if p.severity == "error"], [p.format() for p in problems]
    return cat
