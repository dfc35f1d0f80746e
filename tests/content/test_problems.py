"""problems: one shape for every fault, the same words in `kb check` and in the build."""

from __future__ import annotations

import pytest

from kb.content.problems import Problem, choice_hint, closest, errors, sort_for_people

STATUSES = ("draft", "review", "published")


@pytest.mark.parametrize(
    "problem, expected",
    [
        (
            Problem("content/case-studies/x.md", 3, "title", "is missing.", "add it, e.g. title: X"),
            "content/case-studies/x.md:3: error: title: is missing. Fix: add it, e.g. title: X",
        ),
        (Problem("content/tags.yml", None, None, "cannot be read."), "content/tags.yml: error: cannot be read."),
        (
            Problem("register/x.md", None, "sumary", "is not a field.", "did you mean 'summary'?", "warning"),
            "register/x.md: warning: sumary: is not a field. Fix: did you mean 'summary'?",
        ),
        (Problem("a.md", 12, None, "no field named."), "a.md:12: error: no field named."),
    ],
    ids=["everything", "file-only", "warning-without-line", "line-without-field"],
)
def test_format_is_one_plain_line(problem, expected):
    assert problem.format() == expected


def test_as_dict_has_every_field_by_name():
    problem = Problem("a.md", 4, "date", "is not a date.", "write 2026-03-12.", "warning")
    assert problem.as_dict() == {
        "path": "a.md",
        "line": 4,
        "field": "date",
        "message": "is not a date.",
        "hint": "write 2026-03-12.",
        "severity": "warning",
    }


def test_a_problem_is_an_error_with_no_hint_unless_told():
    problem = Problem("a.md", None, None, "broken.")
    assert (problem.severity, problem.hint) == ("error", "")


@pytest.mark.parametrize(
    "word, choices, expected",
    [
        ("publish", STATUSES, "published"),
        ("drafts", STATUSES, "draft"),
        ("zzzz", STATUSES, None),
        (2019, ("2018", "x"), "2018"),  # not text: compared as its str()
        ("anything", (), None),
    ],
)
def test_closest_finds_the_nearest_known_value(word, choices, expected):
    assert closest(word, choices) == expected


@pytest.mark.parametrize(
    "word, choices, expected",
    [
        ("publish", STATUSES, "did you mean 'published'? Choose one of: draft, review, published."),
        ("zzzz", STATUSES, "Choose one of: draft, review, published."),
        ("zzzz", [f"v{i:02}" for i in range(12)], "Choose one of: " + ", ".join(f"v{i:02}" for i in range(12)) + "."),
        ("zzzz", [f"v{i:02}" for i in range(13)], "Choose one of: " + ", ".join(f"v{i:02}" for i in range(12)) + ", …."),
    ],
    ids=["near", "nothing-near", "twelve-listed", "thirteen-cut-short"],
)
def test_choice_hint_suggests_and_lists(word, choices, expected):
    assert choice_hint(word, choices) == expected


def test_errors_keeps_only_errors_in_order():
    a = Problem("a.md", 1, None, "a")
    w = Problem("a.md", 2, None, "w", severity="warning")
    b = Problem("b.md", 1, None, "b")
    assert errors([a, w, b]) == [a, b]
    assert errors([w]) == []


def test_sort_for_people_groups_by_file_then_errors_first_then_line():
    given = [
        Problem("b.md", 1, "title", "b error"),
        Problem("a.md", 9, "tags", "a late error"),
        Problem("a.md", 1, "date", "a early warning", severity="warning"),
        Problem("a.md", None, "file name", "a error without line"),
        Problem("a.md", 9, "date", "a late error, earlier field"),
    ]
    assert [p.message for p in sort_for_people(given)] == [
        "a error without line",
        "a late error, earlier field",
        "a late error",
        "a early warning",
        "b error",
    ]
    assert given[0].message == "b error"  # the list given is not sorted in place
