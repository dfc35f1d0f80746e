"""`kb search` in the terminal (cli/search.py) through click's runner: ranked results, filters, spelling help."""

from __future__ import annotations

import re
import tempfile

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from tests.factories import case


@pytest.fixture
def searchable(project, tmp_path, monkeypatch):
    """The small project with a few more entries; `kb search`'s index cache kept inside the test's folder."""
    cache = tmp_path / "tmp"
    cache.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(cache))
    project.write(
        "content/case-studies/reading-buddies.md",
        case(title="Reading buddies", summary="Older pupils read with younger ones.", date="2026-05-01", tags="[]").replace(
            "We coached every new pupil.", "Some coaching came later, from a mentorng scheme."
        ),
    )
    project.write(
        "content/case-studies/attendance-tracker.md",
        case(
            title="A shared attendance tracker",
            summary="One template.",
            date="2026-04-01",
            networks="[send]",
            tags="[attendance]",
        ).replace("We coached every new pupil.", "Schools compared their figures."),
    )
    for i, date in enumerate(("2026-01-05", "2026-01-06", "2026-01-07")):
        project.write(
            f"content/case-studies/mentoring-{i}.md",
            case(title=f"Mentoring round {i}", summary="New teachers.", date=date, networks="[send]", tags="[]").replace(
                "We coached every new pupil.", "Mentoring for new teachers."
            ),
        )
    project.write(
        "content/case-studies/members.md",
        case(title="Quokkaword members study", visibility="members").replace("We coached every new pupil.", "Members only."),
    )
    return project


def search(project, *args):
    result = CliRunner().invoke(main, ["--project", str(project.root), "search", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def titles(output: str) -> list[str]:
    """The numbered result lines' titles, in order."""
    return re.findall(r"^ ?\d+\. (.+)$", output, flags=re.M)


def test_results_are_ranked_with_their_facts_and_address(searchable):
    result = search(searchable, "coaching")
    assert result.exit_code == 0, result.output
    assert titles(result.output) == ["Coaching in Year 7", "Reading buddies"]  # title and tag count more than the body
    assert "\n 1. Coaching in Year 7\n    Case study · 2026-03-12 · Equity\n    case-studies/coaching-year-7/\n" in result.output
    assert "Some coaching came later" in result.output  # the snippet
    assert result.output.rstrip().endswith("2 matching entries.")
    assert "\x1b[" not in result.output  # no colour when the output is not a terminal


def test_several_words_are_joined_into_one_query(searchable):
    assert titles(search(searchable, "shared", "attendance", "tracker").output) == ["A shared attendance tracker"]


def test_limit_and_newest_first(searchable):
    result = search(searchable, "--limit", "2", "--newest")
    assert titles(result.output) == ["Reading buddies", "A shared attendance tracker"]
    assert result.output.rstrip().endswith("matching entries, the first 2 shown.")
    assert search(searchable, "--limit", "0").exit_code == 2  # 1 to 50


@pytest.mark.parametrize(
    "options, expected",
    [
        (["--type", "network"], {"Equity", "SEND"}),
        (
            ["--network", "send"],
            {"A shared attendance tracker", "Mentoring round 0", "Mentoring round 1", "Mentoring round 2", "SEND"},
        ),
        (["--tag", "attendance"], {"A shared attendance tracker"}),
        (["--network", "send", "--tag", "attendance"], {"A shared attendance tracker"}),
        (["--type", "case-study", "--network", "equity"], {"Coaching in Year 7", "Reading buddies"}),
        (["--tag", "attendance", "coaching"], set()),
    ],
    ids=["type", "network", "tag", "network-and-tag", "type-and-network", "filter-and-words"],
)
def test_filters(searchable, options, expected):
    result = search(searchable, *options)
    assert result.exit_code == 0 and set(titles(result.output)) == expected, result.output
    count = len(expected)
    assert result.output.rstrip().endswith(f"{count} matching entr{'y' if count == 1 else 'ies'}.")


def test_an_unknown_type_is_a_usage_error(searchable):
    result = search(searchable, "--type", "essay", "coaching")
    assert result.exit_code == 2 and "'essay' is not one of" in result.output


def test_a_misspelling_is_searched_for_as_corrected(searchable):
    result = search(searchable, "coachng")
    assert result.exit_code == 0
    assert "Searched for: coaching" in result.output
    assert titles(result.output)[0] == "Coaching in Year 7"


def test_a_rare_spelling_gets_a_did_you_mean(searchable):
    result = search(searchable, "mentorng")  # spelt so in one entry, "mentoring" in three
    assert result.exit_code == 0
    assert "Did you mean: mentoring" in result.output and "Searched for" not in result.output
    assert titles(result.output) == ["Reading buddies"]


def test_no_matches(searchable):
    result = search(searchable, "zebrafish")
    assert result.exit_code == 0 and titles(result.output) == []
    assert result.output.strip() == "0 matching entries."


def test_only_stop_words_get_a_note(searchable):
    result = search(searchable, "the", "and", "of")
    assert result.exit_code == 0 and titles(result.output) == []
    assert "There are no words to search for in that query" in result.output


def test_members_entries_only_with_members(searchable):
    assert titles(search(searchable, "quokkaword").output) == []
    assert titles(search(searchable, "--members", "quokkaword").output) == ["Quokkaword members study"]


def test_an_edit_is_found_on_the_next_search(searchable):
    assert titles(search(searchable, "pelicanword").output) == []
    searchable.write("content/case-studies/reading-buddies.md", case(title="Pelicanword buddies"))
    assert titles(search(searchable, "pelicanword").output) == ["Pelicanword buddies"]
