"""tags: content/tags.yml read into the tag vocabulary, every fault a plain Problem."""

from __future__ import annotations

import pytest

from kb.content.tags import load_tags
from tests.conftest import MINI_TAGS, ROOT


def _load(tmp_path, text: str | bytes):
    path = tmp_path / "content" / "tags.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_tags(tmp_path)


def test_good_tags_are_read_with_defaults(tmp_path):
    tags, problems = _load(
        tmp_path, MINI_TAGS + "send: {label: SEND}\n2024-cohort: {label: 2024 cohort, synonyms: [2024, intake]}\n"
    )
    assert problems == []
    assert list(tags) == ["attendance", "coaching", "send", "2024-cohort"]
    assert tags["attendance"] == {
        "id": "attendance",
        "label": "Attendance",
        "description": "Getting pupils to school.",
        "synonyms": ["absence", "truancy"],
    }
    assert tags["send"] == {"id": "send", "label": "SEND", "description": "", "synonyms": []}
    assert tags["2024-cohort"]["synonyms"] == ["2024", "intake"]  # numbers in YAML become text


def test_the_starter_tag_list_has_no_problems():
    tags, problems = load_tags(ROOT)
    assert problems == [] and len(tags) > 5


def test_a_byte_order_mark_is_allowed(tmp_path):
    tags, problems = _load(tmp_path, b"\xef\xbb\xbf" + MINI_TAGS.encode())
    assert problems == [] and list(tags) == ["attendance", "coaching"]


def test_missing_file_is_a_warning_not_an_error(tmp_path):
    tags, (problem,) = load_tags(tmp_path)
    assert tags == {}
    assert (problem.path, problem.severity) == ("content/tags.yml", "warning")
    assert "there is no tag list, so no entry can have tags" in problem.message
    assert "create content/tags.yml" in problem.hint


@pytest.mark.parametrize(
    "text, line",
    [
        ("attendance: [absence\ncoaching: {label: Coaching}\n", 2),
        ('attendance: {label: Attendance}\ncoaching: {label: "Coaching\n', 3),
        ("attendance:\n  label: Attendance\n   description: x\n", 3),
    ],
    ids=["unclosed-list", "unclosed-quote", "bad-indent"],
)
def test_unreadable_yaml_says_which_line(tmp_path, text, line):
    tags, (problem,) = _load(tmp_path, text)
    assert tags == {}
    assert (problem.path, problem.line, problem.severity) == ("content/tags.yml", line, "error")
    assert "the tag list is not valid YAML" in problem.message
    assert problem.hint  # the front matter's hints: indentation, quotes around a colon...


def test_not_utf8_cannot_be_read_and_has_no_line(tmp_path):
    tags, (problem,) = _load(tmp_path, "caf\u00e9: {label: Caf\u00e9}\n".encode("latin-1"))
    assert tags == {}
    assert problem.line is None and "cannot be read (UnicodeDecodeError)" in problem.message


@pytest.mark.parametrize("text", ["- attendance\n- coaching\n", "just words\n", ""], ids=["list", "text", "empty"])
def test_a_tag_list_that_is_not_a_mapping_is_an_error_at_line_1(tmp_path, text):
    tags, (problem,) = _load(tmp_path, text)
    assert tags == {}
    assert (problem.line, problem.severity) == (1, "error")
    assert "must be a set of 'id: {label: ...}' lines" in problem.message
    assert "attendance: {label: Attendance" in problem.hint


@pytest.mark.parametrize("bad_id, field", [("Attendance", "Attendance"), ("early_years", "early_years"), ("2024", "2024")])
def test_bad_tag_id_is_named_and_left_out(tmp_path, bad_id, field):
    tags, (problem,) = _load(tmp_path, f"{bad_id}: {{label: Bad}}\ncoaching: {{label: Coaching}}\n")
    assert list(tags) == ["coaching"]
    assert (problem.field, problem.severity) == (field, "error")
    assert problem.message == "is not a valid tag id."
    assert "lower-case letters, digits and hyphens" in problem.hint


@pytest.mark.parametrize(
    "spec", ["{description: Getting pupils to school.}", '{label: "  "}', "{label: 3}", "Attendance", "null"]
)
def test_missing_label_is_named_with_an_example_and_the_id_stands_in(tmp_path, spec):
    tags, (problem,) = _load(tmp_path, f"pupil-attendance: {spec}\n")
    assert (problem.field, problem.message, problem.severity) == ("pupil-attendance", "has no label.", "error")
    assert problem.hint == "add one, e.g. pupil-attendance: {label: Pupil attendance}"
    assert tags["pupil-attendance"]["id"] == "pupil-attendance"


@pytest.mark.parametrize("synonyms", ["absence", "{a: b}", "3"])
def test_synonyms_that_are_not_a_list_are_named_and_dropped(tmp_path, synonyms):
    tags, (problem,) = _load(tmp_path, f"attendance: {{label: Attendance, synonyms: {synonyms}}}\n")
    assert (problem.field, problem.message) == ("attendance.synonyms", "must be a list.")
    assert problem.hint == "write synonyms: [one, two]."
    assert tags["attendance"]["synonyms"] == []
    assert tags["attendance"]["label"] == "Attendance"


def test_every_fault_is_listed_at_once(tmp_path):
    tags, problems = _load(tmp_path, "Bad: {label: B}\nno-label: {}\nodd: {label: Odd, synonyms: x}\n")
    assert [(p.field, p.message) for p in problems] == [
        ("Bad", "is not a valid tag id."),
        ("no-label", "has no label."),
        ("odd.synonyms", "must be a list."),
    ]
    assert list(tags) == ["no-label", "odd"]
