"""Every YAML we read (front matter, content/tags.yml, content/terms.yml) follows the same rules: a key written
twice is an error naming both lines, and anchors and aliases are refused before they can expand."""

from __future__ import annotations

import time

from kb.content.source import parse_front_matter
from kb.content.tags import load_tags
from kb.content.terms import parse_terms
from kb.project import load_project
from tests.factories import case


def test_a_status_written_twice_is_an_error_naming_both_lines():
    text = "---\ntitle: A\nstatus: draft\nsummary: B\nstatus: published\n---\nBody\n"
    raw, (problem,) = parse_front_matter("content/case-studies/x.md", text)
    assert raw is None
    assert (problem.line, problem.field, problem.severity) == (5, "status", "error")
    assert "lines 3 and 5" in problem.message and problem.hint


def test_a_nested_key_written_twice_is_named_with_its_path():
    text = "---\ntitle: A\nmeeting:\n  start: '16:00'\n  start: '17:00'\n---\nBody\n"
    _raw, (problem,) = parse_front_matter("x.md", text)
    assert (problem.line, problem.field) == (5, "meeting.start") and "lines 4 and 5" in problem.message


def test_keys_twice_in_separate_records_are_fine():
    text = "---\nactions:\n  - {action: a, due: 2026-01-01}\n  - {action: b, due: 2026-01-02}\n---\nBody\n"
    raw, problems = parse_front_matter("x.md", text)
    assert problems == [] and len(raw.meta["actions"]) == 2


def test_the_draft_written_twice_is_never_published(project):
    project.write(
        "content/case-studies/twice.md", case(title="Twice", status="draft").replace("approach:", "status: published\napproach:")
    )
    catalogue, problems = load_project(project.root)
    assert "case-studies/twice" not in catalogue.entries
    assert any(p.path == "content/case-studies/twice.md" and "written twice" in p.message for p in problems)


def test_tags_file_with_a_key_twice_names_both_lines(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/tags.yml").write_text("oracy: {label: Oracy}\nreading: {label: Reading}\noracy: {label: Talk}\n")
    tags, (problem,) = load_tags(tmp_path)
    assert tags == {} and problem.path == "content/tags.yml"
    assert (problem.line, problem.field) == (3, "oracy") and "lines 1 and 3" in problem.message


def test_tags_file_alias_bomb_is_refused_at_once(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)
    ]
    (tmp_path / "content").mkdir()
    (tmp_path / "content/tags.yml").write_text("\n".join(lines) + "\n")
    started = time.process_time()
    tags, (problem,) = load_tags(tmp_path)
    assert time.process_time() - started < 5  # a bound for a hang, not a benchmark: expanded, this is 10^9 items
    assert tags == {} and "anchors or aliases" in problem.message


def test_tags_file_with_an_alias_is_refused(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/tags.yml").write_text("oracy: &o {label: Oracy}\ntalk: *o\n")
    tags, (problem,) = load_tags(tmp_path)
    assert tags == {} and "anchors or aliases" in problem.message and problem.severity == "error"


def test_terms_file_with_a_key_twice_names_both_lines():
    text = (
        "2026-27:\n  autumn: {start: 2026-09-01, end: 2026-12-18}\n  spring: {start: 2027-01-05, end: 2027-03-26}\n"
        "  summer: {start: 2027-04-12, end: 2027-07-21}\n  autumn: {start: 2026-09-08, end: 2026-12-18}\n"
    )
    terms, (problem,) = parse_terms(text)
    assert terms == [] and (problem.line, problem.field) == (5, "2026-27.autumn") and "lines 2 and 5" in problem.message


def test_terms_file_with_an_alias_is_refused():
    terms, (problem,) = parse_terms("2026-27: &y\n  autumn: {start: 2026-09-01, end: 2026-12-18}\n2027-28: *y\n")
    assert terms == [] and "anchors or aliases" in problem.message


def test_terms_far_outside_the_calendar_are_plain_errors():
    text = (
        "0001-02:\n  autumn: {start: 0001-09-01, end: 0001-12-18}\n  spring: {start: 0002-01-05, end: 0002-03-26}\n"
        "  summer: {start: 0002-04-12, end: 0002-07-21}\n"
    )
    terms, problems = parse_terms(text)
    assert terms == [] and problems and all(p.severity == "error" for p in problems)
    assert any("not in the years 1900 to 2100" in p.message for p in problems)
