"""The one-loop indexing of search/analysis.py gives exactly what the analyser chain (KbTokenizer | StemFilter) gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import fields

from kb.search.analysis import PLAIN, STEMMED, KbText, StemmedText, encode_positions, plain_words
from tests.conftest import ROOT

EDGES = [
    "",
    "the",
    "The cat sat on the mat",
    "the the cat",
    "3.141 big*time under_score a.b.c. x* **",
    "Ünïcode ÉCOLE straße İstanbul ǅemal",
    "Attendance, attending; attended! attends? ATTENDANCE",
    "end.",
    "...",
    "e-mail co-operation O'Neil 2026-11-24",
    "tab\tnew\nline  spaces",
    "a " * 50,
    "Year 7 and Year 8: of, to, in, for",
    "naïve café résumé coöperate",
    "日本語 テキスト",
    "x" * 300,
    "Co-production, the co-produced plan and e-safety for Y7 and KS3",
    "Years 7 to 9, years 10-11, Year-12, key stage 2, KS 4, yr 6, year7",
    "2026-11-24 and 7-9 and up-to-date and to-the-point",
    "non\u2011breaking\u2010hyphens and a – dash",
]


def whoosh_postings(text: str) -> list:
    return list(KbText().index(text))


def corpus_texts() -> list[str]:
    from kb.project import load_project
    from kb.search.index import document
    from kb_tools.corpus import generate_project

    texts = []
    for root in (ROOT, None):
        if root is None:
            import tempfile

            root = Path(tempfile.mkdtemp()) / "corpus"
            generate_project(root, 40)
        catalogue, _ = load_project(root, members=True)
        for entry in catalogue.entries.values():
            doc = document(entry, catalogue)
            texts += [doc[f] for f in ("title", "tagtext", "summary", "body", "extra")]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return EDGES + corpus_texts()


def test_postings_equal_whooshs(texts):
    assert len(texts) > 500
    field = StemmedText()
    for text in texts:
        assert sorted(field.index(text)) == sorted(whoosh_postings(text)), text[:80]


def test_postings_by_column_are_the_postings_of_index(texts):
    """What the index writer files (postings_columns) is index()'s postings, in its order, for plain and boosted fields."""
    for field in (StemmedText(), StemmedText(field_boost=2.5)):
        for text in texts:
            rows = list(field.index(text))
            assert list(zip(*field.postings_columns(text))) == rows, text[:80]
    assert StemmedText().postings_columns(["already", "split"]) is None  # not text: Whoosh's own index()
    long = "attendance " * 300  # more occurrences than the table of weights holds
    assert list(zip(*StemmedText().postings_columns(long))) == list(StemmedText().index(long))


def test_positions_encoded_as_whoosh_encodes_them():
    import random

    from whoosh.formats import Positions

    rng = random.Random(11)
    lists = [[0], [5], [3, 3], [0, 1, 2]] + [sorted(rng.sample(range(5000), rng.randint(1, 40))) for _ in range(2000)]
    for positions in lists:
        assert encode_positions(positions) == Positions().encode(positions)


def test_positions_renumbered_after_stop_words_as_whoosh_does():
    postings = {w: v for w, _, _, v in StemmedText().index("the the cat and the dog")}
    assert postings == {w: v for w, _, _, v in whoosh_postings("the the cat and the dog")}
    assert set(postings) == {b"cat", b"dog"}


def test_other_modes_and_values_go_through_whoosh():
    assert list(StemmedText().index(["already", "split"])) == list(fields.TEXT(analyzer=STEMMED).index(["already", "split"]))
    assert list(StemmedText().index("Attending events", mode="query")) == list(
        fields.TEXT(analyzer=STEMMED).index("Attending events", mode="query")
    )


def test_plain_words_equal_whooshs(texts):
    for text in texts:
        assert set(plain_words(text)) == {t.text for t in PLAIN(text)}, text[:80]


def test_aliases_do_not_make_a_field_longer():
    """The length Whoosh stores is the sum of the postings' counts: the words of the text, not the added ones."""
    for field in (KbText(), StemmedText()):
        counts = {w: n for w, n, _, _ in field.index("Early-career teachers in Year 7")}
        assert counts[b"earlycar"] == 0 and counts[b"year7"] == 0 and counts[b"ks3"] == 0
        assert sum(counts.values()) == 5  # early, career, teachers, year, 7 ("in" is a stop word)
    plain = {w: n for w, n, _, _ in fields.TEXT(analyzer=STEMMED).index("Early-career teachers in Year 7")}
    assert sum(plain.values()) == 8  # what Whoosh's own field would count
