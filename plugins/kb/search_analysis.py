"""Indexing text in one loop: what Whoosh's analyser chain makes, without the chain.

Why: Whoosh indexes a text field through a chain of generators (tokenizer, lowercase, stop
words, stemmer), five Python calls and a Token update per word. At 10,000 entries that was
most of the index writer's time. `StemmedText.index` and `plain_words` take the expression,
stop list and stemmer from the analysers themselves and do the same in one loop; queries,
snippets and highlighting still use the analysers. tests/test_search_analysis.py holds both
to Whoosh's own output.
"""
from __future__ import annotations

from functools import lru_cache

from whoosh import fields
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

STEMMED = StemmingAnalyzer(minsize=1)  # the index's words: "attendance" and "attending" are one
PLAIN = StandardAnalyzer(minsize=1)  # unstemmed: spelling correction needs real words


def _parts(analyzer):
    """(token expression, stop words) of a RegexTokenizer | LowercaseFilter | StopFilter(minsize=1) chain."""
    tokenizer, _lowercase, stop = analyzer.items[:3]
    assert stop.min == 1 and stop.max is None and stop.renumber and not tokenizer.gaps, "analyser changed: update search_analysis.py"
    return tokenizer.expression, stop.stops


_EXPRESSION, _STOPS = _parts(STEMMED)
_stem = lru_cache(maxsize=100_000)(STEMMED.items[3].stemfn)


class StemmedText(fields.TEXT):
    """A TEXT field of STEMMED words with positions, indexed by one loop (same postings as TEXT.index)."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=STEMMED, **kwargs)

    def index(self, value, **kwargs):
        if not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            yield from super().index(value, **kwargs)
            return
        positions: dict[str, list[int]] = {}
        pos = None
        stops, stem = _STOPS, _stem
        for i, match in enumerate(_EXPRESSION.finditer(value)):
            word = match.group().lower()
            if word in stops:
                continue
            pos = i if pos is None else pos + 1  # StopFilter renumbers the words after the first one kept
            stemmed = stem(word)
            if stemmed in positions:
                positions[stemmed].append(pos)
            else:
                positions[stemmed] = [pos]
        boost, encode = self.format.field_boost, self.format.encode
        for word, poslist in positions.items():
            yield word.encode("utf-8"), len(poslist), float(len(poslist)) * boost, encode(poslist)


_PLAIN_EXPRESSION, _PLAIN_STOPS = _parts(PLAIN)


def plain_words(text: str) -> dict[str, None]:
    """The distinct words PLAIN finds in `text`, in order of first appearance."""
    stops = _PLAIN_STOPS
    return dict.fromkeys(w for w in map(str.lower, (m.group() for m in _PLAIN_EXPRESSION.finditer(text))) if w not in stops)
