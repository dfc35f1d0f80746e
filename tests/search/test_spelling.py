"""The spelling list answers as a Whoosh field of the same words would (what it replaced), and round-trips."""

from __future__ import annotations

import random

import pytest
from whoosh import fields, index

from kb.search.analysis import PLAIN
from kb.search.spelling import Spelling, count, entry_words, write

TEXTS = [
    {
        "title": "Attendance in Year 9",
        "summary": "Mentoring and attendance",
        "body": "Safeguarding leads met; attendance rose.",
        "tagtext": "Attendance",
        "extra": "Ms O'Neil",
    },
    {
        "title": "Restorative conversations",
        "summary": "Training for staff",
        "body": "Apprenticeships and careers, attending events.",
        "tagtext": "Careers",
        "extra": "Northfield College",
    },
    {
        "title": "Artificial intelligence pilot",
        "summary": "Planning with AI",
        "body": "Intelligent planning; attendant risks. Mentors mentored.",
        "tagtext": "Digital",
        "extra": "",
    },
    {
        "title": "Développement professionnel",
        "summary": "CPD offer map",
        "body": "Professional development, developing staff.",
        "tagtext": "CPD",
        "extra": "the and of",
    },
]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(our list, a Whoosh reader over a `spell` field of the same documents)."""
    words = [entry_words(t) for t in TEXTS]
    folder = tmp_path_factory.mktemp("spelling")
    write(count(words), folder)
    ix = index.create_in(str(folder), fields.Schema(spell=fields.TEXT(analyzer=PLAIN, phrase=False)))
    with ix.writer() as w:
        for text in TEXTS:
            w.add_document(spell=" ".join(text.values()))
    with ix.searcher() as s:
        yield Spelling.read(folder), s.reader()


def test_same_words_and_counts_as_a_whoosh_field(both):
    ours, reader = both
    assert ours.words == sorted(reader.field_terms("spell"))
    assert {w: ours.doc_frequency(w) for w in ours.words} == {w: reader.doc_frequency("spell", w) for w in ours.words}
    assert ours.doc_frequency("staff") == 2 and ours.doc_frequency("nowhere") == 0


def test_same_neighbours_as_terms_within(both):
    ours, reader = both
    rng = random.Random(5)
    typed = ["attendence", "atendance", "safegaurding", "apprentiships", "artifical", "mentord", "developement", "a", "zz"]
    for word in ours.words:  # and every word with one letter changed, dropped or swapped
        i = rng.randrange(len(word))
        typed += [
            word[:i] + "e" + word[i + 1 :],
            word[:i] + word[i + 1 :],
            word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :],
        ]
    typed = [w for w in typed if len(w) >= 2]  # kb corrects words of four letters or more
    assert len(typed) > 100
    for word in typed:
        for dist in (1, 2):
            for prefix in (0, 1):
                assert sorted(ours.within(word, dist, prefix)) == sorted(reader.terms_within("spell", word, dist, prefix)), (
                    word,
                    dist,
                    prefix,
                )
    assert "attendance" in ours.within("attendence", 1, 1)  # the comparison above is not empty-vs-empty


def test_stop_words_and_case_follow_the_analyser():
    words = entry_words({"title": "The Year of AI", "body": "year YEAR"}).split()
    assert words == ["year", "ai"]


def test_written_list_round_trips(tmp_path):
    counts = count(["b a", "a c", "a"])
    write(counts + count(["gone"]) - count(["gone"]), tmp_path)
    assert Spelling.read(tmp_path).counts == {"a": 3, "b": 1, "c": 1}
