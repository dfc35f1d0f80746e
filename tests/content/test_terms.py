"""Term dates: one data file, checked with plain Problems; "this term" follows KB_TODAY."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kb.content.terms import current_term, load_terms, parse_terms, term_for, terms_until
from tests.conftest import ROOT

D = dt.date.fromisoformat

GOOD = """\
2025-26:
  autumn: {start: 2025-09-03, end: 2025-12-19}
  spring: {start: 2026-01-05, end: 2026-03-27}
  summer: {start: 2026-04-13, end: 2026-07-22}
"""


def test_starter_terms_cover_two_school_years_without_gaps():
    terms, problems = load_terms(ROOT, D("2026-11-23"))
    assert problems == []
    assert [t.id for t in terms] == ["autumn-2025", "spring-2026", "summer-2026", "autumn-2026", "spring-2027", "summer-2027"]
    assert {t.year for t in terms} == {"2025-26", "2026-27"}
    for before, after in itertools.pairwise(terms):
        assert before.until == after.start - dt.timedelta(days=1)  # holidays count in the term just ended
    assert terms[-1].until == terms[-1].end


@pytest.mark.parametrize(
    "today, expected",
    [
        ("2026-11-23", "autumn-2026"),  # KB_TODAY of the tests
        ("2026-09-01", "autumn-2026"),  # first day of term
        ("2026-08-31", "summer-2026"),  # last day of the summer holiday
        ("2026-07-22", "summer-2026"),  # last teaching day
        ("2027-01-04", "autumn-2026"),  # Christmas holiday belongs to the autumn term
        ("2027-01-05", "spring-2027"),
        ("2024-06-01", "autumn-2025"),  # before the first term: the first
        ("2028-01-10", "summer-2027"),  # after the last: the last
    ],
)
def test_this_term_follows_today(today, expected):
    terms, _ = load_terms(ROOT, D(today))
    assert current_term(terms, D(today)).id == expected


def test_term_boundary_and_listing():
    terms, _ = parse_terms(GOOD)
    assert term_for(terms, D("2026-01-04")).id == "autumn-2025"
    assert term_for(terms, D("2026-01-05")).id == "spring-2026"
    assert term_for(terms, D("2025-09-02")) is None
    assert [t.id for t in terms_until(terms, D("2026-02-01"))] == ["spring-2026", "autumn-2025"]
    assert terms[0].label == "Autumn term 2025" and terms[0].url == "board/digest/autumn-2025/"


@pytest.mark.parametrize(
    "text, line, field, words",
    [
        (GOOD.replace("2025-26:", "2025-27:"), 1, "2025-27", "is not a school year"),
        (GOOD.replace("  spring: {start: 2026-01-05, end: 2026-03-27}\n", ""), 1, "2025-26.spring", "is missing"),
        (GOOD.replace("start: 2026-04-13", "start: 13/04/2026"), 4, "2025-26.summer.start", "must be a date"),
        (GOOD.replace("end: 2026-03-27", "end: 2025-12-01"), 3, "2025-26.spring.end", "is before the start"),
        (
            GOOD.replace("  summer:", "  easter: {start: 2026-04-01, end: 2026-04-02}\n  summer:"),
            4,
            "2025-26.easter",
            "is not a term name",
        ),
        (GOOD.replace("end: 2025-12-19", "end: 2026-01-10"), None, None, "overlaps"),
        (GOOD.replace("start: 2025-09-03", "start: 2026-09-03"), 2, "2025-26.autumn.start", "starts in 2025"),
        ("2025-26:\n  autumn: [unclosed\n", 3, None, "is not valid YAML"),  # PyYAML reports where it gave up
        ("- a list\n", 1, None, "must be school years"),
    ],
)
def test_bad_term_dates_are_clear_problems(text, line, field, words):
    terms, problems = parse_terms(text)
    assert terms == []
    matching = [p for p in problems if words in p.message]
    assert matching, [p.format() for p in problems]
    problem = matching[0]
    assert problem.path == "content/terms.yml" and problem.severity == "error" and problem.hint
    assert problem.field == field
    if line is not None:
        assert problem.line == line


def test_kb_check_reports_term_problems_and_runs_out_warning(project):
    project.write("content/terms.yml", GOOD.replace("end: 2026-03-27", "end: 2025-12-01"))
    assert any(p.path == "content/terms.yml" and "before the start" in p.message for p in project.problems())
    project.write("content/terms.yml", GOOD)
    (warning,) = [p for p in project.problems() if p.path == "content/terms.yml"]  # KB_TODAY 2026-11-23 is past them
    assert warning.severity == "warning" and "add the next school year" in warning.hint


def test_no_terms_file_is_not_an_error_and_means_no_terms(project):
    assert not [p for p in project.problems() if p.path == "content/terms.yml"]
    assert project.catalogue().terms == []
