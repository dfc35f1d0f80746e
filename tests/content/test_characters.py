"""Characters no page, feed or calendar can carry are refused by kb check, naming the field or line; tab and
newline are fine; the messages never repeat the character itself."""

from __future__ import annotations

import pytest

from kb.content.model import ENTRY_TYPES
from kb.content.source import parse_front_matter
from kb.content.validate import Vocab, validate_entry
from kb.project import load_project
from tests.factories import case

VOCAB = Vocab(frozenset({"coaching", "attendance"}), frozenset({"equity", "send"}))


def check(text: str):
    raw, problems = parse_front_matter("content/case-studies/x.md", text)
    assert raw is not None, problems
    return validate_entry(raw, ENTRY_TYPES["case-study"], "x", VOCAB)[1]


@pytest.mark.parametrize(
    "escape, code",
    [
        ("\\e", "U+001B"),  # ESC
        ("\\a", "U+0007"),  # BEL
        ("\\v", "U+000B"),  # VT
        ("\\x7f", "U+007F"),  # DEL
        ("\\0", "U+0000"),  # NUL, written as a YAML escape
        ("\\r", "U+000D"),
        ("\\x85", "U+0085"),  # a C1 control (NEL)
        ("\\uFFFE", "U+FFFE"),  # a non-character
        ("\\uFDD0", "U+FDD0"),
        ("\\U0010FFFF", "U+10FFFF"),
    ],
)
def test_an_unprintable_character_in_a_field_is_an_error_naming_it(escape, code):
    problems = check(case(title=f'"Coaching {escape} in Year 7"'))
    (problem,) = [p for p in problems if code in p.message]
    assert (problem.field, problem.line, problem.severity) == ("title", 2, "error")
    assert "cannot be published" in problem.message and problem.hint
    assert all(c not in problem.format() for c in "\x1b\x07\x0b\x7f\x00\r\x85\ufffe\ufdd0\U0010ffff\ud800")


def test_a_lone_surrogate_is_an_error_naming_its_line():
    """LibYAML refuses the escape itself; PyYAML's own parser reads it, and the check then names the field."""
    raw, problems = parse_front_matter("content/case-studies/x.md", case(title='"Half \\uD800 pair"'))
    if raw is not None:
        problems = validate_entry(raw, ENTRY_TYPES["case-study"], "x", VOCAB)[1]
    (problem,) = problems
    assert (problem.line, problem.severity) == (2, "error") and "\ud800" not in problem.format()


def test_nested_fields_and_list_items_are_named():
    problems = check(case(authors='["A", "B \\e"]'))
    assert [p.field for p in problems if "U+001B" in p.message] == ["authors[1]"]


def test_a_field_name_with_a_control_character_is_named_without_it():
    problems = check(case().replace("approach:", '"bad\\ekey": x\napproach:'))
    (problem,) = [p for p in problems if "U+001B" in p.message]
    assert problem.field == "bad<U+001B>key"


def test_a_control_character_in_the_text_names_its_line():
    problems = check(case().replace("We coached every new pupil.", "Line one.\nLine \x1b two."))
    (problem,) = [p for p in problems if "U+001B" in p.message]
    assert problem.line == 11 and problem.field is None and "the text contains" in problem.message


def test_tabs_and_newlines_are_fine():
    assert check(case(outcomes='"Rose\\tby four points.\\nThen held."') + "More\ttext.\n") == []


def test_other_characters_of_every_script_are_fine():
    assert check(case(title='"Ökul — 教育 😀 עברית \\u00a0 \\u2028 done"')) == []


def test_an_escape_in_a_draft_is_an_error_too(project):
    project.write("content/case-studies/draft.md", case(title='"Draft \\a"', status="draft"))
    problems = load_project(project.root)[1]
    assert any(p.path == "content/case-studies/draft.md" and "U+0007" in p.message for p in problems)


def test_the_fast_search_finds_what_the_whole_class_finds():
    """find_unprintable (a table for texts within U+FFFF) agrees with UNPRINTABLE_RE on every character of the BMP
    and on the edges of every plane beyond it, in a text with an emoji and in one without."""
    from kb.content.problems import UNPRINTABLE_RE, find_unprintable

    astral = [plane * 0x10000 + low for plane in range(1, 17) for low in (0, 1, 0xFFFD, 0xFFFE, 0xFFFF)]
    found = 0
    for code in [*range(0x10000), *astral, *range(0x10000, 0x110000, 997)]:
        for text in (f"ab{chr(code)}c", f"\N{GRINNING FACE} ab{chr(code)}c"):
            ours, whole = find_unprintable(text), UNPRINTABLE_RE.search(text)
            assert (ours and ours.span()) == (whole and whole.span()), hex(code)
            found += whole is not None
    assert found == 2 * (0x20 - 2 + 0x21 + 0x800 + 0x20 + 2 + 16 * 2)  # controls, C1, surrogates, non-characters
