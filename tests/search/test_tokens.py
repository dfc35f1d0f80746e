"""The token rules of search/tokens.py, one test per rule, and the table of year groups and key stages."""

from __future__ import annotations

import pytest

from kb.search.analysis import STEMMED, query_stems, word_positions
from kb.search.tokens import KEY_STAGE_OF_YEAR, WORD_RE, joins, number_forms, positions, scan, tokens, year_forms


def words(text: str, **options) -> list[tuple[str, int]]:
    return [(t.word, t.pos) for t in tokens(text, **options)]


def test_rule_1_words_lower_cased_stop_words_out_and_renumbered_as_whoosh_does():
    assert words("The Cat sat on THE mat") == [("cat", 1), ("sat", 2), ("mat", 3)]
    assert words("e.g. 3.141 pupils'") == [("e.g", 0), ("3.141", 1), ("pupils", 2)]
    assert [t.text for t in STEMMED("Attending the events")] == ["attend", "event"]


def test_rule_2_a_hyphenated_word_is_indexed_split_and_joined_at_its_last_part():
    assert words("our co-production model") == [("our", 0), ("co", 1), ("production", 2), ("coproduction", 2), ("model", 3)]
    assert words("e-safety") == [("e", 0), ("safety", 1), ("esafety", 1)]
    assert ("wellbeing", 2) in words("pupil well-being")
    assert words("a-b-c") == [("b", 1), ("c", 2), ("abc", 2)]  # "a" is a stop word; the joined word still counts it


def test_rule_2_the_hyphen_characters_are_hyphens_not_dashes_and_numbers_are_not_joined():
    assert ("coproduction", 1) in words("co\u2011production")  # a non-breaking hyphen
    assert [w for w, _ in words("2025–26")] == ["2025", "26"]  # an en dash is a range, not a compound
    assert [w for w, _ in words("2026-11-24")] == ["2026", "11", "24"]
    assert joins("co-production and 2026-11-24, not - this") == [1, 4, 5]


def test_rule_2_phrases_across_a_compound_still_match():
    found = word_positions("the co-production guide")
    assert found["co"] == [1] and found["product"] == [2] and found["guid"] == [3]  # "co production guide": consecutive
    assert found["coproduct"] == [2]  # "coproduction guide": consecutive too


@pytest.mark.parametrize(
    "text",
    [
        "Year 7",
        "year-7",
        "YEAR 7",
        "Y7",
        "y7",
        "Yr 7",
        "yr7",
        "year7",
        "Years 7 and 8",
        "years 7-9",
        "Years 7 to 9",
        "Years 6, 7 and 8",
    ],
)
def test_rule_3_every_way_of_writing_year_7_adds_year7_and_ks3(text):
    found = {w for w, _ in words(text)}
    assert {"year7", "ks3"} <= found, found


def test_rule_3_lists_and_ranges_name_every_year_in_them():
    assert {w for w, _ in words("Years 7 to 9")} >= {"year7", "year8", "year9"}
    assert {w for w, _ in words("years 10-11")} >= {"year10", "year11", "ks4"}
    assert "year8" not in {w for w, _ in words("Years 7 and 9")}
    assert {w for w, _ in words("Year 6 and Year 7")} >= {"year6", "ks2", "year7", "ks3"}


def test_rule_3_key_stages_in_every_spelling_add_the_canonical_word():
    for text in ("KS3", "ks 3", "Key Stage 3", "key stage 3", "keystage3"):
        assert "ks3" in {w for w, _ in words(text)}, text
    assert not {w for w, _ in words("Key Stage 7, year 14, year 0, Y20")} & {"ks7", "year14", "year0", "year20"}


def test_rule_3_table_is_the_english_one():
    assert [KEY_STAGE_OF_YEAR[y] for y in range(1, 14)] == [1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5]
    assert year_forms(3) == ["year3", "ks2"]


def test_rule_3_numbers_that_are_not_year_groups_add_nothing():
    assert words("in 2026 they met 7 schools") == [("2026", 1), ("they", 2), ("met", 3), ("7", 4), ("schools", 5)]
    assert number_forms(["page", "7"], [False, False]) == []


def test_added_words_sit_at_the_number_and_never_move_the_words_around_them():
    plain = [(w, p) for w, p in words("pupils in Year 7 settle") if w not in ("year7", "ks3")]
    assert plain == words("pupils in Year 7 settle", forms=False)
    found = word_positions("pupils in Year 7 settle")
    assert found["year7"] == found["7"] == [2] and found["settl"] == [3]  # "Y7 settle" is a phrase here ("in" is a stop word)


def test_offsets_of_an_added_word_span_everything_it_was_made_from():
    spans = {t.word: (t.start, t.end) for t in tokens("Our co-production in Year 7", chars=True)}
    assert spans["coproduction"] == (4, 17) and spans["co"] == (4, 6)
    assert spans["year7"] == spans["ks3"] == (21, 27)


def test_stop_words_are_kept_and_marked_when_asked():
    assert [(t.word, t.stopped) for t in tokens("the cat", keep_stops=True)] == [("the", True), ("cat", False)]


def test_a_query_words_own_stem_leaves_the_aliases_out():
    assert query_stems("co-production") == ["co", "product"]
    assert query_stems("Y7") == ["y7"]
    assert [t.text for t in STEMMED("Y7")] == ["y7", "year7", "ks3"]


def test_the_fast_path_numbers_as_the_token_list_does():
    text = "The co-production of Years 7 to 9 and Y10, the KS4 well-being plan; e.g. 2026-11-24"
    first, kept, aliases = positions(text)
    listed = tokens(text)
    assert [(w, p) for w, p in zip(kept, range(first, first + len(kept)), strict=True)] == [
        (t.word, t.pos)
        for t in listed
        if t.word in kept and (t.word, t.pos) not in {(a, p) for a, ps in aliases.items() for p in ps}
    ]
    assert {(a, p) for a, ps in aliases.items() for p in ps} <= {(t.word, t.pos) for t in listed}
    all_words, found = scan(text)
    assert all_words[:3] == ["the", "co", "production"] and (1, 2, "coproduction") in found


def test_rule_4_short_words_inflections_meet_and_irregular_plurals_are_made_singular():
    assert query_stems("planning plans planned") == ["plan", "plan", "plan"]
    assert query_stems("communication community") == ["communic", "communiti"]  # Porter joined them as "commun"
    assert query_stems("children child people person") == ["child", "child", "person", "person"]
    assert query_stems("reintegrating reintegration") == ["reintegr", "reintegr"]


@pytest.mark.parametrize(
    "text",
    [
        "Year 7 Co-Production in KS3: The SENDCo's PLAN.v2 (2026-11-24)",  # ASCII: the text lower-cased once
        "\u0130stanbul schools",  # dotted capital I: lower-cased alone it becomes two characters, one not a letter
        "Caf\u00e9 \u2013 \u201cquoted\u201d STRASSE \u1e9e",  # curly quotes, a dash, capital sharp s
    ],
)
def test_words_are_each_word_lower_cased(text):
    words, _ = scan(text)
    assert words == [w.lower() for w in WORD_RE.findall(text)]


def scan_by_the_rules(text: str, compounds: bool, forms: bool) -> tuple[list[str], list[tuple[int, int, str]]]:
    """scan() as the rules read: every word of the whole text lower-cased, joins() over the text again."""
    from kb.search.tokens import aliases_of

    words = [w.lower() for w in WORD_RE.findall(text)]
    joined = joins(text) if compounds or forms else []
    return words, aliases_of(words, joined, text.lower(), compounds=compounds, forms=forms)


@pytest.mark.parametrize("compounds,forms", [(True, True), (True, False), (False, True), (False, False)])
def test_scan_finds_what_the_rules_find_in_one_pass(compounds, forms):
    import random

    rng = random.Random(11)
    parts = ["co", "production", "Year", "7", "KS", "e.g", "2026", "\u0130stanbul", "Caf\u00e9", "well", "-", "--", " ", "  "]
    parts += ["\u2010", "\u2011", "\u2013", ".", "'", "-x", "x-", "y7", "Key", "stage", "3", "and", "to", "years"]
    for _ in range(3000):
        text = "".join(rng.choice(parts) + rng.choice(["", " ", "-"]) for _ in range(rng.randint(0, 12)))
        assert scan(text, compounds=compounds, forms=forms) == scan_by_the_rules(text, compounds, forms), text


def test_number_forms_looks_at_words_that_can_begin_a_form_only():
    assert number_forms(["", "Year", "7", "year", "7"], [False] * 5) == [(3, 4, ["year7", "ks3"])]  # lower-cased words only
