"""Scoring only the entries that can reach the first page (search/ranking.py) gives the answers of scoring every match.

The bounded path leaves entries unscored and phrases unchecked where only a score was at stake (a tag's
name in each field beside the word itself); these tests hold it to the plain path, which scores every
matching entry and checks every phrase: the same pages, totals, facets and soft filters, on a generated
corpus where most queries match far more entries than the first page holds. They also check that the
bounded path really did less, so a fall-back to the plain path everywhere would not pass unnoticed.
"""

from __future__ import annotations

import pytest

from kb.search.match import Matching
from kb.search.query import SearchEngine

QUERIES = [
    "data",  # a tag word: its name ("equality data") looked for as a phrase in every field, beside the word
    '"shared template"',  # a phrase that must match: checked for every candidate either way
    "early career teachers",
    "careers",
    "reading",
    "knife crime",
    "send support",
    "attendance -absence",
    "reading primary",  # a soft filter: its entries first, whatever their score
    "reading year 3 primary",
    "curriculum review",
    "disadvantaged pupils",
    "attendence",
]
FILTERS = [{}, {"type": "case-study"}, {"network": "equity"}, {"sort": "newest"}]
REAL_CHECK, REAL_SCORES = Matching._check, Matching.scores
PAGES = [(1, 10), (2, 10), (5, 10), (6, 10), (1, 50), (2, 50)]  # within the 50 checked for nearness, and past them


@pytest.fixture(scope="module")
def engine(corpus_index):
    return SearchEngine(corpus_index)


def both(engine, monkeypatch, **args):
    """(bounded answer, plain answer, phrase candidates checked by each, entries scored by each)."""
    checked, scored = {True: 0, False: 0}, {True: 0, False: 0}

    answers = {}
    for bounded in (True, False):

        def check(self, field, words, candidates, bounded=bounded):
            checked[bounded] += len(candidates - self._checked.get((field, words), set()))
            return REAL_CHECK(self, field, words, candidates)

        def scores(self, q, docs, bounded=bounded):
            scored[bounded] += len(docs)
            return REAL_SCORES(self, q, docs)

        monkeypatch.setattr(Matching, "_check", check)
        monkeypatch.setattr(Matching, "scores", scores)
        monkeypatch.setattr(engine, "bounded", bounded)
        answers[bounded] = engine.search(**args)
    return answers[True], answers[False], checked, scored


@pytest.mark.parametrize("near", [50, 10])  # 10: a higher floor, so more left unscored and unchecked
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f.values()) or "none")
def test_the_same_answers_as_scoring_every_match(engine, monkeypatch, filters, near):
    monkeypatch.setattr(engine, "near_candidates", near)
    for q in QUERIES:
        for page, size in PAGES:
            fast, plain, _, _ = both(engine, monkeypatch, q=q, page=page, size=size, **filters)
            assert fast == plain, (q, filters, page, size)  # hits with their scores, total, facets, soft filters, notes


def test_the_bounded_path_scores_and_checks_less(engine, monkeypatch):
    """At 400 entries the 50 best reach down to entries having a tag's name; with 10, they do not
    (at 10,000 entries, 50 are few: "data" checks 1,534 phrase candidates rather than 2,700)."""
    monkeypatch.setattr(engine, "near_candidates", 10)
    fewer_checked = fewer_scored = many = 0
    for q in QUERIES:
        fast, plain, checked, scored = both(engine, monkeypatch, q=q)
        assert fast == plain, q
        many += plain["total"] > 50  # more entries than the 50 ranked closely: the bound can leave some out
        assert scored[True] <= scored[False] and checked[True] <= checked[False], q
        fewer_scored += scored[True] < scored[False]
        fewer_checked += checked[True] < checked[False]
    assert (
        many >= len(QUERIES) // 2 and fewer_scored >= len(QUERIES) // 2
    )  # the bound keeps most entries of most queries from being scored
    assert (
        fewer_checked >= 3
    )  # data, careers, disadvantaged pupils: phrases a tag's name adds left unchecked where only a score was at stake


def test_a_phrase_left_unchecked_gives_the_same_first_page_and_total(engine, monkeypatch):
    """'data' names the tag 'Equality data': the phrase "equal data" is an alternative beside the word
    "data" in every field. Entries with the word match either way; the phrase only adds to their score."""
    monkeypatch.setattr(engine, "near_candidates", 10)
    fast, plain, checked, scored = both(engine, monkeypatch, q="data", size=10)
    assert checked[True] < checked[False] and scored[True] < scored[False]
    assert [h["ref"] for h in fast["results"]] == [h["ref"] for h in plain["results"]]
    assert [h["score"] for h in fast["results"]] == [h["score"] for h in plain["results"]]
    assert fast["total"] == plain["total"] and fast["facets"] == plain["facets"]
