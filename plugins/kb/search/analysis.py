"""Indexing text in one loop: what Whoosh's analyser chain makes, without the chain.

Why: Whoosh indexes a text field through a chain of generators (tokenizer, lowercase, stop
words, stemmer), five Python calls and a Token update per word. At 10,000 entries that was
most of the index writer's time. `StemmedText.index` and `plain_words` take the expression,
stop list and stemmer from the analysers themselves and do the same in one loop; queries,
snippets and highlighting still use the analysers. tests/search/test_analysis.py holds both
to Whoosh's own output.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh import fields, formats
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

from kb.search.whoosh_internals import analyser_parts, stem_function

STEMMED = StemmingAnalyzer(minsize=1)  # the index's words: "attendance" and "attending" are one
PLAIN = StandardAnalyzer(minsize=1)  # unstemmed: spelling correction needs real words


_findall, _STOPS = analyser_parts(STEMMED)
_stem = lru_cache(maxsize=100_000)(stem_function(STEMMED))
_ONE_POSITION: dict[int, bytes] = {}  # most words occur once in a field: their encoded position, made once


class StemmedText(fields.TEXT):
    """A TEXT field of STEMMED words with positions, indexed by one loop (same postings as TEXT.index)."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=STEMMED, **kwargs)
        assert type(self.format) is formats.Positions

    def index(self, value, **kwargs):
        if not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            yield from super().index(value, **kwargs)
            return
        boost, encode = self.format.field_boost, self.format.encode
        for word, poslist in word_positions(value).items():
            if len(poslist) == 1:
                encoded = _ONE_POSITION.get(poslist[0])
                if encoded is None:
                    encoded = _ONE_POSITION[poslist[0]] = encode(poslist)
            else:
                encoded = encode(poslist)
            yield word.encode("utf-8"), len(poslist), float(len(poslist)) * boost, encoded


def word_positions(value: str) -> dict[str, list[int]]:
    """Stemmed word -> its positions, numbered as StopFilter numbers them: the first word kept keeps its
    place among all tokens, and the words after it follow on, stop words not counted."""
    stops = _STOPS
    lowered = list(map(str.lower, _findall(value)))
    kept = [w for w in lowered if w not in stops]
    if not kept:
        return {}
    first = 0
    while lowered[first] in stops:
        first += 1
    positions: dict[str, list[int]] = {}
    for pos, stemmed in enumerate(map(_stem, kept), first):
        known = positions.get(stemmed)
        if known is None:
            positions[stemmed] = [pos]
        else:
            known.append(pos)
    return positions


_plain_findall, _PLAIN_STOPS = analyser_parts(PLAIN)


def plain_words(text: str) -> dict[str, None]:
    """The distinct words PLAIN finds in `text`, in order of first appearance."""
    stops = _PLAIN_STOPS
    return dict.fromkeys(w for w in map(str.lower, _plain_findall(text)) if w not in stops)
