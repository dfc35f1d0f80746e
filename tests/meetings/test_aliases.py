"""content/organisations.yml (aliases.py): other spellings declared once, every mistake in plain words with its line."""

from __future__ import annotations

import pytest

from kb.meetings.aliases import ALIASES_FILE, load_aliases, parse_aliases
from kb.meetings.organisations import organisations


def test_spellings_and_names_map_to_the_name_to_show():
    found, problems = parse_aliases("Westbrook Academy: [WBA, Westbrook]\nPartnership Office: []\nCity Council: ~\n")
    assert problems == []
    assert found == {
        "westbrook academy": "Westbrook Academy",
        "wba": "Westbrook Academy",
        "westbrook": "Westbrook Academy",
        "partnership office": "Partnership Office",
        "city council": "City Council",
    }


def test_an_empty_file_or_none_declares_nothing(tmp_path):
    assert parse_aliases("") == ({}, [])
    assert parse_aliases("# only a comment\n") == ({}, [])
    assert load_aliases(tmp_path) == ({}, [])  # the file is optional


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("Westbrook: [a, b\n", 2, "cannot be read"),
        ("- Westbrook\n- Eastfield\n", 1, "must be a list of 'Name: [other spellings]' lines"),
        ("Westbrook Academy: WBA\n", 1, "must be followed by a list of other spellings"),
        ("Westbrook Academy: [WBA]\nWest Brook: [wba]\n", 2, "'wba' is already a spelling of 'Westbrook Academy'"),
        ("Westbrook Academy: [WBA]\nWBA: []\n", 2, "'WBA' is already a spelling of 'Westbrook Academy'"),
        ("Westbrook Academy: &w [WBA]\nEastfield: *w\n", 1, "YAML anchor or alias"),
        ("'': [x]\n", 1, "empty or not text"),
        ("Westbrook Academy: [{a: 1}]\n", 1, "must be followed by a list"),
    ],
)
def test_mistakes_are_plain_problems_with_a_line(text, line, words):
    _, problems = parse_aliases(text)
    assert problems, text
    assert problems[0].path == ALIASES_FILE and problems[0].line == line and words in problems[0].message, problems
    assert problems[0].hint and problems[0].severity == "error"


def test_every_mistake_is_reported_not_just_the_first():
    _, problems = parse_aliases("A School: [X]\nB School: [x]\nC School: 3\n")
    assert [p.line for p in problems] == [2, 3]


def test_the_project_reads_the_file_and_organisations_count_under_the_declared_name(project):
    project.write(ALIASES_FILE, "Westbrook Academy: [WBA]\n")
    project.write(
        "content/minutes/equity/2026-10-01.md",
        "---\ntitle: Equity, 1 October\nsummary: S.\ndate: 2026-10-01\nnetworks: [equity]\nstatus: published\n"
        'attendees: ["Amira Khan (WBA)", "Westbrook Academy"]\napologies: []\ndecisions: ["One"]\nnext_meeting: 2026-12-01\n---\nN.\n',
    )
    cat = project.catalogue()
    assert cat.organisation_aliases["wba"] == "Westbrook Academy"
    westbrook = organisations(cat)["westbrook-academy"]
    assert westbrook.name == "Westbrook Academy" and westbrook.attended == ["minutes/equity/2026-10-01"]
    assert westbrook.taking_part["equity"].attended == 1  # two lines, one organisation, one meeting


def test_a_broken_file_is_a_problem_of_kb_check(project):
    project.write(ALIASES_FILE, "Westbrook Academy: [WBA]\nOther: [wba]\n")
    problems = [p for p in project.problems() if p.path == ALIASES_FILE]
    assert len(problems) == 1 and problems[0].line == 2


def test_the_file_is_not_published(project, tmp_path):
    from tests.conftest import build

    project.write(ALIASES_FILE, "Westbrook Academy: [WBA]\n")
    site = build(project.root, tmp_path / "site")
    assert not (site / "organisations.yml").exists()
