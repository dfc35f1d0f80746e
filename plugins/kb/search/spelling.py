"""Spelling correction's word list: every unstemmed word of the indexed entries, and in how many it appears.

Why a list beside the Whoosh index, not a field in it: correction only asks which words exist, in how
many entries, and which lie within an edit distance. A field answered that with a posting for every
word of every entry, nearly half of the index's postings; at 10,000 entries writing the index took
42 s with it and 19 s without. The list is searched with Whoosh's own Levenshtein automata, the ones
`reader.terms_within` uses, so the suggestions are the same.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kb.search.analysis import plain_words
from kb.search.whoosh_internals import words_within

SPELLING_FILE = "spelling.txt"
SPELT_FIELDS = ("title", "summary", "tagtext", "body", "extra", "vocabtext")


def entry_words(document: dict[str, str]) -> str:
    """The distinct unstemmed words of one search document, space-separated (compact to keep per entry)."""
    text = " ".join(document.get(name, "") for name in SPELT_FIELDS)
    # Tokens never span spaces, so analysing each distinct space-separated chunk once gives the same words
    # (at 10,000 entries, 2.2 s instead of 5.3 s with Whoosh's analyser chain).
    distinct = " ".join(dict.fromkeys(text.split()))
    return " ".join(plain_words(distinct))


def count(words_per_entry: Iterable[str]) -> Counter:
    """word -> number of entries holding it."""
    counts: Counter = Counter()
    for words in words_per_entry:
        counts.update(words.split())
    return counts


def write(counts: Counter, folder: Path) -> None:
    lines = (f"{word}\t{n}\n" for word, n in sorted(counts.items()) if n > 0)
    (Path(folder) / SPELLING_FILE).write_text("".join(lines), encoding="utf-8")


class Spelling:
    """The word list of one index, read once when the index is opened."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        self.words = sorted(counts)

    @classmethod
    def read(cls, folder: Path) -> Spelling:
        counts = {}
        for line in (Path(folder) / SPELLING_FILE).read_text(encoding="utf-8").splitlines():
            word, _, n = line.partition("\t")
            counts[word] = int(n)
        return cls(counts)

    def doc_frequency(self, word: str) -> int:
        return self.counts.get(word, 0)

    def within(self, word: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Words within `maxdist` edits of `word` sharing its first `prefix` letters (as reader.terms_within)."""
        words = self.words

        def first_at_or_after(text: str) -> str | None:
            i = bisect_left(words, text)
            return words[i] if i < len(words) else None

        return words_within(word, maxdist, prefix, first_at_or_after)
