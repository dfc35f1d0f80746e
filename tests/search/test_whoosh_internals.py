"""Whoosh's undocumented names behind one wall (search/whoosh_internals.py): the installed whoosh3 has the shapes the
speed-ups rely on, a changed library is reported in words, and the fast paths give Whoosh's own answers."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25FScorer
from whoosh.writing import SegmentWriter

from kb.search import analysis
from kb.search.index import build_index
from kb.search.query import SearchEngine
from kb.search.whoosh_internals import (
    bm25_parameters,
    check,
    is_leaf_matcher,
    read_blocks,
    words_within,
)
from tests.conftest import MINI_CASE

ANALYSERS = {"STEMMED": analysis.STEMMED, "PLAIN": analysis.PLAIN}
N = 300  # entries: more than a whoosh3 posting block (128), so common words' lists span several blocks
TOPICS = ["attendance", "reading", "oracy", "transition", "behaviour", "careers", "safeguarding"]


def entry_text(i: int) -> str:
    topic, other = TOPICS[i % len(TOPICS)], TOPICS[(i * 3) % len(TOPICS)]
    body = f"We coached pupils in group {i}. " + f"{topic.title()} work with {other}. " * (1 + i % 3) + "Shared template."
    return (
        MINI_CASE.replace("Coaching in Year 7", f"{topic.title()} study {i}")
        .replace("networks: [equity]", f"networks: [{'equity' if i % 2 else 'send'}]")
        .replace("tags: [coaching]", f"tags: [{'coaching' if i % 3 else 'attendance'}]")
        .replace("2026-03-12", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}")
        .replace("We coached every new pupil.", body)
    )


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    from tests.conftest import Project

    project = Project(tmp_path_factory.mktemp("internals") / "project")
    for i in range(N):
        project.write(f"content/case-studies/study-{i}.md", entry_text(i))
    catalogue = project.catalogue()
    assert len(catalogue.entries) == N + 3
    return catalogue


@pytest.fixture(scope="module")
def index_dir(catalogue, tmp_path_factory):
    return build_index(catalogue, tmp_path_factory.mktemp("index") / "site.search")


QUERIES = [
    "",
    "coached",
    "attendance",
    "reading oracy",
    '"shared template"',
    '"group 17"',
    "careers -behaviour",
    "safegaurding",
    "truancy",
    "transition work",
]
FILTERS = [{}, {"type": "case-study"}, {"network": "equity"}, {"tag": "attendance"}, {"network": "send", "tag": "coaching"}]


def answers(engine: SearchEngine) -> list[dict]:
    return [
        engine.search(q, size=50, sort=sort, **filters)
        for q in QUERIES
        for filters in FILTERS
        for sort in ("relevance", "newest")
    ]


# --- the installed library --------------------------------------------------------------------------------------


def test_the_installed_whoosh_has_every_shape_relied_on():
    assert check(ANALYSERS) == []


# --- a changed library is reported loudly ------------------------------------------------------------------------


@pytest.mark.parametrize("attribute", ["_read_ids", "_read_weights", "_read_values", "_next_block"])
def test_check_names_a_missing_block_reader(monkeypatch, attribute):
    monkeypatch.delattr(W3LeafMatcher, attribute)
    assert check(ANALYSERS) == [f"W3LeafMatcher.{attribute} is gone: posting lists cannot be read a block at a time."]


def test_check_names_a_segment_writer_without_its_pool(monkeypatch):
    def init(self, ix, poolclass=None, timeout=0.0, delay=0.1, _lk=True, merge=True, **kwargs):
        self.ix = ix  # no posting pool kept any more

    monkeypatch.setattr(SegmentWriter, "__init__", init)
    assert check(ANALYSERS) == [
        "SegmentWriter no longer has self.pool: the compact writer cannot take its place.",
        "SegmentWriter no longer has self.fieldwriter: posting lists cannot be written whole.",
        "SegmentWriter no longer has self.newsegment: the side lists cannot name their segment.",
    ]


def test_check_names_a_changed_add_document(monkeypatch):
    import kb.search.whoosh_internals as internals

    monkeypatch.setattr(internals, "ADD_DOCUMENT_SHA256", "0" * 64)
    (problem,) = check(ANALYSERS)
    assert problem.startswith("SegmentWriter.add_document is not the one recorded")


def test_check_names_a_postings_writer_without_its_block_writer(monkeypatch):
    from whoosh.codec.whoosh3 import W3PostingsWriter

    monkeypatch.delattr(W3PostingsWriter, "_write_block")
    assert check(ANALYSERS) == [
        "W3FieldWriter no longer writes through a W3PostingsWriter's _write_block: lists cannot be written whole."
    ]


def test_check_names_positions_no_longer_pickled_gaps(monkeypatch):
    from whoosh.formats import Positions

    monkeypatch.setattr(Positions, "encode", lambda self, positions: b"\0\0\0\1" + repr(list(positions)).encode())
    monkeypatch.setattr(Positions, "decode_positions", lambda self, value: eval(value[4:]))  # the test's own bytes
    assert check(ANALYSERS) == ["Positions values are no longer a length and pickled gaps: phrases cannot be decoded quickly."]


def test_check_names_a_scorer_that_no_longer_keeps_its_parameters(monkeypatch):
    def init(self, searcher, fieldname, text, B, K1, qf=1):
        self.setup(searcher, fieldname, text)  # statistics no longer kept on the scorer

    monkeypatch.setattr(BM25FScorer, "__init__", init)
    assert check(ANALYSERS) == ["BM25FScorer no longer keeps idf, avgfl, B and K1: match.py cannot score as Whoosh does."]


def test_check_names_missing_levenshtein_automata(monkeypatch):
    monkeypatch.delattr(Automata, "levenshtein_dfa")
    assert check(ANALYSERS) == ["whoosh.codec.base.Automata.levenshtein_dfa is gone: spelling correction cannot find neighbours."]


# --- the fast paths give Whoosh's own answers ---------------------------------------------------------------------


def stepped(m, positions: bool) -> tuple[dict, dict]:
    """A posting list read the documented way, one posting at a time."""
    weights, values = {}, {}
    while m.is_active():
        weights[m.id()] = m.weight()
        if positions:
            values[m.id()] = m.value()
        m.next()
    return weights, values


def test_read_blocks_gives_what_stepping_the_matcher_gives(index_dir):
    ix = whoosh_index.open_dir(str(index_dir))
    longest = 0
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for field in ("title", "body", "summary", "tagtext", "networks", "tags"):
            for term in reader.lexicon(field):
                m = reader.postings(field, term)
                assert is_leaf_matcher(m), (field, term)
                weights, positions = {}, {}
                read_blocks(m, weights, positions)
                assert (weights, positions) == stepped(reader.postings(field, term), positions=True), (field, term)
                only_weights = {}
                read_blocks(reader.postings(field, term), only_weights, None)
                assert only_weights == weights
                longest = max(longest, len(weights))
    ix.close()
    assert longest > 2 * 128  # lists of three blocks and more were compared


def test_several_segments_are_not_a_leaf_matcher(catalogue, tmp_path):
    target = build_index(catalogue, tmp_path / "site.search")
    writer = whoosh_index.open_dir(str(target)).writer()
    writer.add_document(ref="case-studies/extra", type="case-study", title="Coached extra", body="We coached again.")
    writer.commit(merge=False)  # a second segment, as an index updated in place can have
    ix = whoosh_index.open_dir(str(target))
    with ix.searcher() as searcher:
        assert not is_leaf_matcher(searcher.reader().postings("body", "coach"))
    ix.close()
    fast, plain = SearchEngine(target), SearchEngine(target, fast=False)
    assert fast.search("coached", size=50) == plain.search("coached", size=50)
    assert "case-studies/extra" in {hit["ref"] for hit in fast.search("coached", size=50)["results"]}


def test_a_plain_engine_answers_as_the_fast_one(index_dir, monkeypatch):
    import kb.search.match as match

    fast = answers(SearchEngine(index_dir))
    assert sum(a["total"] for a in fast) > 1000 and any(a["corrections"] for a in fast)
    calls = []
    monkeypatch.setattr(match, "read_blocks", lambda *args: calls.append(args) or read_blocks(*args))
    assert answers(SearchEngine(index_dir, fast=False)) == fast
    assert calls == []  # the plain engine never read a block whole
    assert answers(SearchEngine(index_dir)) == fast and calls  # the fast one does


def test_an_index_written_without_the_speed_ups_answers_the_same(catalogue, index_dir, tmp_path):
    plain = build_index(catalogue, tmp_path / "plain.search", fast=False)
    assert answers(SearchEngine(plain)) == answers(SearchEngine(index_dir))


def test_bm25_parameters_are_the_scorers_own(index_dir):
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        scorer = scoring.BM25F().scorer(searcher, "body", "coach")
        assert bm25_parameters(scorer) == (searcher.idf("body", "coach"), searcher.avg_field_length("body"), 0.75, 1.2)
        assert bm25_parameters(scoring.Frequency().scorer(searcher, "body", "coach")) is None
    ix.close()


def test_words_within_finds_the_neighbours_sharing_a_prefix():
    words = sorted({"coach", "coached", "coaching", "coachings", "reading", "roaching", "teaching"})

    def first_at_or_after(word: str) -> str | None:
        return next((w for w in words if w >= word), None)

    assert words_within("coachng", 1, 1, first_at_or_after) == ["coaching"]
    assert sorted(words_within("coachng", 2, 1, first_at_or_after)) == ["coach", "coached", "coaching", "coachings"]
    assert words_within("xoaching", 1, 1, first_at_or_after) == []  # the first letter must match
    assert words_within("xoaching", 1, 0, first_at_or_after) == ["coaching", "roaching"]
