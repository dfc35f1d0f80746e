"""What a person typed, turned into words, phrases, exclusions and tag synonyms (search/text.py): never an error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search.text import (
    MAX_CONCEPTS,
    MAX_PHRASE_WORDS,
    MAX_QUERY_CHARS,
    MAX_SYNONYM_WORDS,
    WORD_RE,
    Concept,
    Names,
    SynonymMap,
    clean,
    parse,
    words_and_joins,
    words_of,
)

TAGS = {
    "attendance": {"label": "Attendance", "synonyms": ["absence", "truancy"]},
    "safeguarding": {"label": "Safeguarding", "synonyms": ["child protection", "DSL"]},
    "youth-violence": {"label": "Youth violence", "synonyms": ["knife crime", "county lines"]},
    "early-career-teachers": {"label": "Early-career teachers", "synonyms": ["NQT", "ECT"]},
    "child": {"label": "Child development", "synonyms": []},
}


@pytest.fixture(scope="module")
def synonyms() -> SynonymMap:
    return SynonymMap(TAGS)


def shape(parsed) -> list[tuple]:
    return [(c.kind, c.words, c.tag, c.excluded) for c in parsed.concepts]


# --- words, phrases, exclusions ---------------------------------------------------------------------------------


def test_words_are_lower_cased_and_kept_in_order():
    parsed = parse("Peer COACHING in school")
    assert [c.text for c in parsed.concepts] == ["peer", "coaching", "in", "school"]
    assert all(c.kind == "word" and not c.excluded for c in parsed.concepts)
    assert parsed.notes == [] and not parsed.empty


def test_inner_hyphens_and_apostrophes_split_words():
    assert words_of("O'Neil co-operation year’s") == ["o", "neil", "co", "operation", "year", "s"]
    assert words_and_joins("O'Neil co-operation") == (["o", "neil", "co", "operation"], [False, False, False, True])


def test_a_hyphenated_word_is_one_compound_concept():
    (compound,) = parse("co-operation").concepts
    assert compound.kind == "compound" and compound.words == ("co", "operation") and compound.text == "co-operation"
    assert [c.kind for c in parse("co operation").concepts] == ["word", "word"]  # typed apart: two words
    assert [c.text for c in parse("2026-11-24").concepts] == ["2026", "11", "24"]  # numbers are not a compound


@pytest.mark.parametrize(
    "typed, forms",
    [
        ("Year 7", ("year7",)),
        ("year-7", ("year7",)),
        ("Y7", ("year7",)),
        ("years 7 and 8", ("year7", "year8")),
        ("Years 7-9", ("year7", "year8", "year9")),
        ("KS3", ("ks3",)),
        ("key stage 2", ("ks2",)),
    ],
)
def test_a_year_group_or_key_stage_is_one_form_concept_with_its_canonical_words(typed, forms):
    (form,) = parse(typed).concepts
    assert form.kind == "form" and form.forms == forms  # a year asks for the year, not for its whole key stage


def test_year_groups_among_other_words_stay_in_order():
    assert [(c.kind, c.text) for c in parse("reading year 3 primary").concepts] == [
        ("word", "reading"),
        ("form", "year 3"),
        ("word", "primary"),
    ]
    assert [c.kind for c in parse("Y7 KS3").concepts] == ["form", "form"]


def test_parse_limits_and_quotes():
    parsed = parse('"peer coaching and x' + " w" * 50)
    assert all(c.kind in {"word", "phrase"} for c in parsed.concepts)
    assert len(parsed.concepts) <= 12 and parsed.notes
    assert [c.text for c in parse('"peer coaching" x').concepts] == ['"peer coaching"', "x"]


def test_a_quoted_phrase_is_one_concept_and_a_quoted_word_is_a_word():
    parsed = parse('"Peer Coaching" trios "attendance"')
    assert shape(parsed) == [
        ("phrase", ("peer", "coaching"), None, False),
        ("word", ("trios",), None, False),
        ("word", ("attendance",), None, False),
    ]
    assert parsed.concepts[0].text == '"peer coaching"'


def test_an_unbalanced_quote_is_dropped_not_an_error():
    assert [c.text for c in parse('"unbalanced').concepts] == ["unbalanced"]
    assert [c.text for c in parse('peer "coaching trios').concepts] == ["peer", "coaching", "trios"]
    assert [c.text for c in parse('"peer coaching" "trios').concepts] == ['"peer coaching"', "trios"]
    assert parse('""').empty and parse('""').concepts == []


def test_a_phrase_keeps_at_most_max_phrase_words():
    typed = " ".join(f"w{i}" for i in range(MAX_PHRASE_WORDS + 5))
    (phrase,) = parse(f'"{typed}"').concepts
    assert phrase.kind == "phrase" and phrase.words == tuple(f"w{i}" for i in range(MAX_PHRASE_WORDS))


def test_minus_excludes_a_word():
    parsed = parse("coaching -trios")
    assert set(shape(parsed)) == {("word", ("coaching",), None, False), ("word", ("trios",), None, True)}
    assert len(parsed.concepts) == 2 and not parsed.empty


def test_only_exclusions_is_an_empty_query():
    parsed = parse("-trios -year-7")
    assert [(c.words, c.excluded) for c in parsed.concepts] == [(("trios",), True), (("year",), True), (("7",), True)]
    assert parsed.empty


def test_a_lone_minus_and_operators_are_ignored():
    assert parse("-").concepts == [] and parse("- coaching").concepts == [Concept("word", ("coaching",))]
    assert parse("AND OR NOT").empty
    assert [c.text for c in parse("coaching AND trios OR not mentoring").concepts] == ["coaching", "trios", "mentoring"]


def test_repeated_concepts_are_kept_once():
    parsed = parse('coaching Coaching "coaching" -x -x')
    assert shape(parsed) == [("word", ("coaching",), None, False), ("word", ("x",), None, True)]


def test_an_excluded_word_and_the_same_word_wanted_are_two_concepts():
    assert sorted((c.text, c.excluded) for c in parse("coaching -coaching").concepts) == [("coaching", False), ("coaching", True)]


# --- caps, and notes on what was dropped -------------------------------------------------------------------------


def test_long_input_is_cut_at_max_query_chars_with_a_note():
    parsed = parse("x" * (MAX_QUERY_CHARS + 50))
    assert parsed.notes == [f"Only the first {MAX_QUERY_CHARS} characters were used."]
    (word,) = parsed.concepts
    assert word.words == ("x" * MAX_QUERY_CHARS,)


def test_input_of_exactly_max_query_chars_has_no_note():
    parsed = parse("y" * MAX_QUERY_CHARS)
    assert parsed.notes == [] and parsed.concepts[0].words == ("y" * MAX_QUERY_CHARS,)


def test_at_most_max_concepts_are_kept_with_a_note():
    typed = " ".join(f"w{i}" for i in range(MAX_CONCEPTS + 8))
    parsed = parse(typed)
    assert [c.text for c in parsed.concepts] == [f"w{i}" for i in range(MAX_CONCEPTS)]
    assert parsed.notes == [f"Only the first {MAX_CONCEPTS} words were used."]


def test_max_concepts_exactly_has_no_note():
    parsed = parse(" ".join(f"w{i}" for i in range(MAX_CONCEPTS)))
    assert len(parsed.concepts) == MAX_CONCEPTS and parsed.notes == []


def test_both_caps_give_both_notes():
    parsed = parse(" ".join(["ab"] * 30 + [f"w{i}" for i in range(80)]))
    assert len(parsed.notes) == 2 and len(parsed.concepts) <= MAX_CONCEPTS


# --- emoji, punctuation, control characters ----------------------------------------------------------------------


def test_emoji_and_control_characters_become_spaces():
    assert clean("😀🙈 safeguarding 🎉") == "safeguarding"
    assert clean("tab\there\x00\x1fnull") == "tab here null"
    assert clean("ﬁ ligature") == "fi ligature"  # NFKC
    assert clean('keep "quotes"') == 'keep "quotes"'
    assert clean(None) == ""
    assert [c.text for c in parse("😀🙈 safeguarding 🎉").concepts] == ["safeguarding"]


NASTY = [
    "",
    "   ",
    '"unbalanced',
    'coaching "',
    '""',
    '"""',
    "AND OR NOT",
    "-",
    "--x",
    "+++",
    "((()))",
    "a:b",
    "title:x",
    "*",
    "?",
    "😀🙈 safeguarding 🎉",
    "x" * 2000,
    "\x00\x1f",
    "‮evil",
    "%s%n",
    "<script>alert(1)</script>",
    "'; DROP TABLE",
    "\\",
    "_ __ ___",
    "ﬁ ligature",
    "日本語 テキスト",
    " ".join(["attendance"] * 300),
    '"a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n"',
]


@pytest.mark.parametrize("typed", NASTY)
def test_malformed_input_never_raises_and_stays_within_the_caps(typed, synonyms):
    for parsed in (parse(typed), parse(typed, synonyms)):
        assert len(parsed.concepts) <= MAX_CONCEPTS
        for c in parsed.concepts:
            assert c.words and all(WORD_RE.fullmatch(w) for w in c.words), c
            assert c.kind in {"word", "phrase", "synonym", "compound", "form"}


def test_punctuation_only_is_empty_and_has_no_concepts():
    for typed in ("+++", "((()))", "*", "?", "\\", "_ __ ___", "😀🙈🎉"):
        assert parse(typed).concepts == [] and parse(typed).empty, typed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_within_the_caps(typed):
    parsed = parse(typed, SynonymMap(TAGS))
    assert len(parsed.concepts) <= MAX_CONCEPTS
    assert all(c.words and all(WORD_RE.fullmatch(w) and w == w.lower() for w in c.words) for c in parsed.concepts)
    assert all(len(c.words) <= MAX_PHRASE_WORDS for c in parsed.concepts)
    assert (len(typed) > MAX_QUERY_CHARS) == any("characters were used" in note for note in parsed.notes)


# --- tag synonyms ------------------------------------------------------------------------------------------------


def test_a_synonym_becomes_one_concept_naming_its_tag(synonyms):
    parsed = parse("Knife crime near schools", synonyms)
    assert shape(parsed) == [
        ("synonym", ("knife", "crime"), "youth-violence", False),
        ("word", ("near",), None, False),
        ("word", ("schools",), None, False),
    ]


@pytest.mark.parametrize(
    "typed, tag",
    [
        ("truancy", "attendance"),  # a synonym
        ("Attendance", "attendance"),  # the label
        ("youth violence", "youth-violence"),  # the id, hyphens as spaces
        ("early-career teachers", "early-career-teachers"),  # the label, hyphen split like the typed words
        ("nqt", "early-career-teachers"),
        ("DSL", "safeguarding"),
    ],
)
def test_labels_ids_and_synonyms_all_name_the_tag(synonyms, typed, tag):
    (concept,) = parse(typed, synonyms).concepts
    assert concept.kind == "synonym" and concept.tag == tag and concept.text == " ".join(words_of(typed))


def test_the_longest_synonym_wins(synonyms):
    parsed = parse("child protection plan", synonyms)
    assert shape(parsed)[0] == ("synonym", ("child", "protection"), "safeguarding", False)
    assert shape(parse("child plan", synonyms))[0] == ("synonym", ("child",), "child", False)


def test_synonyms_only_among_plain_wanted_words(synonyms):
    assert shape(parse('"knife crime"', synonyms)) == [("phrase", ("knife", "crime"), None, False)]
    assert shape(parse("-truancy", synonyms)) == [("word", ("truancy",), None, True)]


def test_without_a_synonym_map_words_stay_words():
    assert [c.kind for c in parse("knife crime").concepts] == ["word", "word"]


def test_spans_are_greedy_non_overlapping_left_to_right(synonyms):
    words = ["county", "lines", "and", "knife", "crime", "child"]
    assert synonyms.spans(words) == [(0, 2, "youth-violence"), (3, 5, "youth-violence"), (5, 6, "child")]
    assert synonyms.spans([]) == []


def test_long_synonyms_are_left_out_and_the_first_tag_keeps_a_shared_phrase():
    long = " ".join(f"w{i}" for i in range(MAX_SYNONYM_WORDS + 1))
    just = " ".join(f"v{i}" for i in range(MAX_SYNONYM_WORDS))
    smap = SynonymMap({"a": {"label": "Shared", "synonyms": [long, just]}, "b": {"label": "Shared"}})
    assert tuple(long.split()) not in smap.phrases and smap.phrases[tuple(just.split())] == "a"
    assert smap.phrases[("shared",)] == "a" and smap.longest == MAX_SYNONYM_WORDS
    assert SynonymMap({}).longest == 0 and SynonymMap({}).spans(["x"]) == []


def test_synonym_map_round_trips_through_json(synonyms):
    import json

    data = json.loads(json.dumps(synonyms.as_json()))
    assert data["knife crime"] == "youth-violence" and data["early career teachers"] == "early-career-teachers"
    again = SynonymMap.from_json(data)
    assert again.phrases == synonyms.phrases and again.longest == synonyms.longest
    for typed in ("knife crime and county lines", "child protection", "truancy", "nothing here"):
        assert shape(parse(typed, again)) == shape(parse(typed, synonyms)), typed
    assert SynonymMap.from_json({}).phrases == {} and SynonymMap.from_json({}).longest == 0


# --- names: vocabulary values, networks, phases, types ------------------------------------------------------------

NAMES = Names(
    SynonymMap(TAGS),
    {
        ("hub",): [("vocab", "model:hub")],
        ("hub", "network"): [("vocab", "model:hub")],
        ("send",): [("network", "send")],
        ("primary",): [("vocab", "phases:primary"), ("phase", "primary")],
        ("case", "study"): [("type", "case-study")],
        ("safeguarding",): [("network", "peace")],  # also a tag: one concept names both
    },
)


def test_words_that_name_a_vocabulary_value_network_phase_or_type_are_one_concept():
    (hub,) = parse("Hub network", NAMES).concepts
    assert hub.kind == "synonym" and hub.tag is None and hub.meanings == (("vocab", "model:hub"),) and hub.soft == ()
    primary = parse("reading primary", NAMES).concepts[1]
    assert primary.meanings == (("vocab", "phases:primary"), ("phase", "primary")) and primary.soft == (("phase", "primary"),)
    assert parse("case study", NAMES).concepts[0].soft == (("type", "case-study"),)


def test_a_phrase_naming_a_tag_and_something_else_carries_both():
    (both,) = parse("safeguarding", NAMES).concepts
    assert both.tag == "safeguarding" and both.meanings == (("network", "peace"),)


def test_names_round_trip_through_json_and_operators_inside_a_name_are_kept():
    import json

    again = Names.from_json(json.loads(json.dumps(NAMES.as_json())))
    assert again.meanings == NAMES.meanings and again.longest == NAMES.longest
    smap = Names(SynonymMap({"early-language": {"label": "Early language", "synonyms": ["speech and language"]}}))
    (named,) = parse("speech and language", smap).concepts
    assert named.tag == "early-language" and named.words == ("speech", "and", "language")
    assert [c.text for c in parse("speech and", smap).concepts] == ["speech"]  # an operator outside a name is dropped
