"""kb.project: the content layer's load with every feature's checks, so `kb check` and the build say the same."""

from __future__ import annotations

import datetime as dt

from kb.content import loader
from kb.meetings.convenor import convenor_checks
from kb.project import CHECKS, check_project, load_project

PAST_MEETING = """---
title: Equity meeting
summary: Spring meeting.
date: 2026-03-12
networks: [equity]
status: published
---
Notes.
"""
MEETING = "content/minutes/equity/2026-03-12.md"


def _convenor_warnings(problems):
    return sorted((p.path, p.field, p.severity) for p in problems if p.path == MEETING)


def test_the_convenor_checks_are_the_features_checks():
    """Kept between loads while no minutes file changes: they read the minutes only."""
    assert [(c.name, c.types, c.check) for c in CHECKS] == [("convenor", frozenset({"minutes"}), convenor_checks)]


def test_a_past_meeting_without_attendees_warns_only_through_kb_project(project):
    project.write(MEETING, PAST_MEETING)
    _, content_only = loader.load_project(project.root)
    _, everything = load_project(project.root)
    assert _convenor_warnings(content_only) == []
    assert _convenor_warnings(everything) == [
        (MEETING, "apologies", "warning"),
        (MEETING, "attendees", "warning"),
        (MEETING, "decisions", "warning"),
        (MEETING, "next_meeting", "warning"),
    ]
    (attendees,) = [p for p in everything if p.field == "attendees"]
    assert attendees.message == "this meeting has happened but no attendees are recorded."
    assert attendees.line == 4  # no attendees line: the warning points at the date
    assert [p for p in everything if p not in content_only] == [p for p in everything if p.path == MEETING]


def test_options_are_handed_to_the_loader(project):
    project.write(MEETING, PAST_MEETING)
    catalogue, problems = load_project(project.root, today=dt.date(2026, 3, 1), members=True, preview=True)
    assert (catalogue.today, catalogue.members, catalogue.preview) == (dt.date(2026, 3, 1), True, True)
    assert not [p for p in problems if p.field in ("attendees", "decisions")]  # the meeting is still to come


def test_check_project_returns_the_same_problems_as_load_project(project):
    project.write(MEETING, PAST_MEETING)
    project.write(
        "content/case-studies/coaching-year-7.md",
        (project.root / "content/case-studies/coaching-year-7.md").read_text().replace("[coaching]", "[coachin]"),
    )
    problems = check_project(project.root)
    assert problems == load_project(project.root)[1]
    assert {p.field for p in problems} == {"attendees", "apologies", "decisions", "next_meeting", "tags[0]"}


def test_a_clean_project_has_no_problems(project):
    assert check_project(project.root) == []
    assert list(load_project(project.root)[0].entries) == list(loader.load_project(project.root)[0].entries)
