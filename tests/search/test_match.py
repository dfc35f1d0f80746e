"""Matching and scoring in search_match.py against Whoosh's own exhaustive answers, on a generated corpus.

The engine finds entries with set operations (phrases checked only inside the filters) and scores
them itself, so these tests hold it to what Whoosh says for the same query when Whoosh scores
every match (UnlimitedCollector: no top-N shortcuts): the same entries, the same scores.
"""

from __future__ import annotations

import pytest
from whoosh import index
from whoosh import query as Q

from kb.project import load_project
from kb.search.index import build_index
from kb.search.match import Matching
from kb.search.query import FACET_FIELDS, NEAR_CANDIDATES, SearchEngine
from kb.search.text import parse
from kb_tools.corpus import generate_project

QUERIES = [
    '"shared template"',
    "disadvantaged pupils",
    "early career teachers",
    "send support",
    "knife crime",
    "data",
    "attendance",
    "reading",
    "behaviour policy",
    '"year 7" transition',
    "attendence",
    "pupil premium attendance",
    '"shared template" "early career"',
    "exclusions",
    "curriculum review",
    "careers",
    "year-7 transition",
    "early-career",
    "ks3 reading",
    "reading primary",  # a soft filter: an optional part (AndMaybe)
]
FILTERS = [
    {},
    {"type": "case-study"},
    {"network": "equity"},
    {"tag": "attendance"},
    {"type": "case-study", "network": "equity"},
    {"type": "network"},
]  # a small filter: its entries are looked up one by one in long posting lists


@pytest.fixture(scope="module")
def engine(corpus_index):
    return SearchEngine(corpus_index)


def whoosh_answer(engine, q: str, filters: dict):
    """(main query, whole query, {docnum: score}) with Whoosh matching phrases and scoring every match."""
    searcher = engine._searcher()
    plan = engine.plan(searcher.reader(), parse(q, engine.names).concepts)
    main = plan.query()
    whole = Q.And([main] + [Q.Term(FACET_FIELDS[k], v, boost=0.0) for k, v in filters.items()]) if filters else main
    return main, whole, {hit.docnum: hit.score for hit in searcher.search(whole, limit=None)}


def universe(engine, filters: dict):
    sets = [engine.facet_sets[k].get(v, frozenset()) for k, v in filters.items()]
    return frozenset.intersection(*sets) if sets else None


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f.values()) or "none")
def test_same_entries_and_scores_as_whoosh_scoring_every_match(engine, filters):
    phrase_hits = 0
    for q in QUERIES:
        main, whole, expected = whoosh_answer(engine, q, filters)
        matching = Matching(engine._searcher(), engine.lengths, universe(engine, filters))
        found = matching.matches(whole)
        assert found == set(expected), q
        scores = matching.scores(main, found)
        assert scores.keys() == expected.keys(), q
        for doc, score in expected.items():
            assert scores[doc] == pytest.approx(score, rel=1e-12, abs=1e-12), (q, doc)
        phrase_hits += sum(len(docs) for docs in matching.phrases.values())
    assert phrase_hits > 0  # phrases were really checked, not only words


@pytest.mark.parametrize("filters", FILTERS[:3], ids=lambda f: "-".join(f.values()) or "none")
def test_first_page_is_the_top_of_every_match_scored(engine, filters):
    """whoosh3's top-N shortcuts lost hits on filtered searches; ours ranks every match (before raising
    the entries whose words are near one another, which Whoosh does not do)."""
    engine.near_candidates = 0
    for q in QUERIES:
        _, _, expected = whoosh_answer(engine, q, filters)
        answer = engine.search(q, size=10, **filters)
        plan = engine.plan(engine._searcher().reader(), parse(q, engine.names).concepts)
        plan.soft = [s for s in plan.soft if (s["facet"], s["id"]) not in filters.items()]
        first = engine._soft_counts(plan, set(expected))  # soft filters: their entries first, then by score
        best = sorted(expected, key=lambda d: (-first.get(d, 0), -expected[d], d))[:10]
        if not expected:  # no entry has every word: the engine lists those with some, and says so
            assert not answer["results"] or answer["notes"] == ["No entry has all of those words; these have some of them."], q
            continue
        assert [hit["ref"] for hit in answer["results"]] == [engine._searcher().stored_fields(d)["ref"] for d in best], q
        assert answer["total"] == len(expected)
    engine.near_candidates = NEAR_CANDIDATES


def test_excluded_words_leave_no_entry_behind(engine):
    answer = engine.search("early career -teachers", size=50)
    reader = engine._searcher().reader()
    with_word = set().union(
        *(
            set(reader.postings(f, "teacher").all_ids())
            for f in ("title", "tagtext", "summary", "body", "extra")
            if (f, "teacher") in reader
        )
    )
    shown = {engine._searcher().document_number(ref=hit["ref"]) for hit in answer["results"]}
    assert answer["results"] and not shown & with_word


def test_an_index_with_deleted_entries(tmp_path):
    """An index updated in place (kb serve) keeps deleted documents' numbers: they must not be listed."""
    project = tmp_path / "project"
    generate_project(project, 20)
    catalogue, _ = load_project(project)
    target = build_index(catalogue, tmp_path / "index")
    gone = next(iter(catalogue.entries))
    writer = index.open_dir(str(target)).writer()
    writer.delete_by_term("ref", gone)
    writer.commit(merge=False)  # keep the deleted document's number, as an update in place can
    engine = SearchEngine(target)
    answer = engine.search("", size=50)
    assert answer["total"] == len(catalogue.entries) - 1
    assert gone not in {hit["ref"] for hit in answer["results"]}
    for q in ("attendance", '"shared template"'):  # posting lists read through Whoosh's filter of deleted documents
        main, whole, expected = whoosh_answer(engine, q, {})
        matching = Matching(engine._searcher(), engine.lengths)
        assert matching.scores(main, matching.matches(whole)) == pytest.approx(expected) and expected, q
