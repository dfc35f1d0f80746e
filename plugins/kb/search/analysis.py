"""Indexing text in one loop, with the token rules of tokens.py, and the same rules as Whoosh analysers.

Why: Whoosh indexes a text field through a chain of generators, a Python call and a Token update per
word per filter; at 10,000 entries that was most of the index writer's time. `StemmedText.index` and
`plain_words` take the words from tokens.py and stem them in one loop. Queries, snippets and highlighting
use the analysers below (`KbTokenizer` | Whoosh's StemFilter), built on the same tokens.py, so the index
and the queries cannot disagree; tests/search/test_analysis.py holds the one loop to the analyser chain.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from operator import sub
from pickle import dumps
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import StemFilter, Token, Tokenizer
from whoosh.lang.porter2 import stem as porter2
from whoosh.system import pack_uint

from kb.search.tokens import IRREGULAR, STOPS, scan, tokens
from kb.search.tokens import positions as tokens_positions


class KbTokenizer(Tokenizer):
    """tokens.py's words as a Whoosh tokenizer (lower-cased, stop words out, hyphen and year-group aliases in).

    `forms`: add the year-group and key-stage words (rule 3). Call with `aliases=False` to leave every
    added word out (a query word's own stem only)."""

    def __init__(self, forms: bool = True) -> None:
        self.forms = forms

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KbTokenizer) and other.forms == self.forms

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        aliases: bool = True,
        **kwargs: Any,
    ):
        t: Any = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)  # Whoosh's Token takes any attribute
        if not tokenize:
            t.original = t.text = value
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for found in tokens(value, compounds=aliases, forms=self.forms and aliases, chars=chars, keep_stops=not removestops):
            t.text = found.word
            t.boost, t.stopped, t.alias = 1.0, found.stopped, found.alias
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + found.pos
            if chars:
                t.startchar, t.endchar = start_char + found.start, start_char + found.end
            yield t


def stem(word: str) -> str:
    """tokens.py rule 4: irregular plurals made singular, then Porter2."""
    return porter2(IRREGULAR.get(word, word))


STEMMED = KbTokenizer() | StemFilter(stemfn=stem)  # the index's words: "attendance" and "attending" are one
PLAIN = KbTokenizer(forms=False)  # unstemmed: spelling correction needs real words

_stem = cached_stem = lru_cache(maxsize=100_000)(stem)  # cached_stem: for others that stem many words (site/related.py)
_ENCODED: dict[str, bytes] = {}  # stemmed word -> its UTF-8 bytes, as the index keeps it
_ONE_POSITION: dict[int, bytes] = {}  # most words occur once in a field: their encoded position, made once
_WEIGHTS: dict[float, list[float]] = {}  # a field's boost -> the weights of 0..255 occurrences, one float each


def encode_positions(poslist: list[int]) -> bytes:
    """formats.Positions.encode's bytes (how many, then the gaps pickled), the gaps taken in C, not a Python loop."""
    return pack_uint(len(poslist)) + dumps([poslist[0], *map(sub, poslist[1:], poslist)], 2)


class KbText(fields.TEXT):
    """A TEXT field of STEMMED words whose length counts the words of the text, not the aliases tokens.py adds
    (an entry mentioning "Year 7" or "co-production" is not made longer by them: BM25 divides by the length).
    This class indexes through Whoosh's analyser chain; StemmedText gives the same postings in one loop."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=STEMMED, **kwargs)
        assert type(self.format) is formats.Positions

    def index(self, value, **kwargs):
        items = super().index(value, **kwargs)
        if not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            yield from items
            return
        added = Counter(t.text.encode("utf-8") for t in STEMMED(value) if t.alias)
        for word, freq, weight, encoded in items:
            yield word, freq - added[word], weight, encoded


class StemmedText(KbText):
    """KbText indexed by one loop: the same postings and lengths, without a generator call per word and filter."""

    def index(self, value, **kwargs):
        if not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            yield from super().index(value, **kwargs)
            return
        yield from zip(*self.postings_columns(value))  # text: never None

    def postings_columns(self, value) -> tuple[list, list, list, list] | None:
        """The postings as four lists (terms, freqs, weights, values): index() yields them a row at a time, and
        search/postings.py files them a column at a time in C; None for a value not text (Whoosh's own index())."""
        if not isinstance(value, str):
            return None
        assert self.format is not None  # Positions (KbText)
        boost = self.format.field_boost
        found, added = word_positions(value, with_aliases=True)
        words = list(found)
        terms = list(map(_ENCODED.get, words))
        if None in terms:  # one bytes object per word: its hash is worked out once (postings.py files by it)
            terms = [t if t is not None else _ENCODED.setdefault(w, w.encode("utf-8")) for t, w in zip(terms, words)]
        poslists = list(found.values())
        counts = list(map(len, poslists))
        table = _WEIGHTS.get(boost) or _WEIGHTS.setdefault(boost, [float(n) * boost for n in range(256)])
        weights = list(map(table.__getitem__, counts)) if max(counts, default=0) < 256 else [float(n) * boost for n in counts]
        one = _ONE_POSITION
        values = [
            (one.get(p[0]) or one.setdefault(p[0], encode_positions(p))) if n == 1 else encode_positions(p)
            for p, n in zip(poslists, counts)
        ]
        freqs = [n - added.get(w, 0) for n, w in zip(counts, words)] if added else counts
        return terms, freqs, weights, values


def word_positions(value: str, with_aliases: bool = False):
    """Stemmed word -> its positions, aliases included (the analyser chain's postings, perhaps in another order);
    with_aliases: also {stemmed word: how many of its positions are aliases}."""
    first, kept, aliases = tokens_positions(value)
    found: dict[str, list[int]] = {}
    for pos, stemmed in enumerate(map(_stem, kept), first):
        known = found.get(stemmed)
        if known is None:
            found[stemmed] = [pos]
        else:
            known.append(pos)
    added: dict[str, int] = {}
    for alias, places in aliases.items():
        stemmed = _stem(alias)
        found[stemmed] = sorted(found.get(stemmed, []) + places)
        added[stemmed] = added.get(stemmed, 0) + len(places)
    return (found, added) if with_aliases else found


def plain_words(text: str) -> dict[str, None]:
    """The distinct words PLAIN finds in `text`, hyphenated words joined too (the words first, then the joined ones)."""
    words, aliases = scan(text, forms=False)
    found = dict.fromkeys(w for w in words if w not in STOPS)
    found.update((alias, None) for _, _, alias in aliases if alias not in STOPS)
    return found


def query_stems(text: str) -> list[str]:
    """The stems of a query's words, without the aliases the index adds (a word's own stem only)."""
    return [t.text for t in STEMMED(text, aliases=False)]
