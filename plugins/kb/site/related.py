"""Related entries: those sharing tags, networks and key terms with an entry, ranked, at most five.

Why key terms: entries about the same thing do not always share a tag ("reintegration after suspension"
and "restorative conversations training"). Each entry's few most telling words (KEY_TERMS of its title
and summary, by tf-idf over the catalogue, stemmed as search stems them) are computed once per build, in one pass over the catalogue, and treated like tags: entries sharing them
are candidates, a shared term scores TERM_WEIGHT.

Never compares every pair: for each entry we walk only the postings lists (by_tag, by_network, the key
terms') of its own tags, networks and key terms, each capped to its newest POSTINGS_CAP refs, so the work
per entry is bounded and the whole index grows linearly with the catalogue. Entries already listed under
"Referenced by" on the same page are left out, so no link is offered twice.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter

from kb.content.catalogue import Catalogue, Entry
from kb.search.analysis import cached_stem
from kb.search.tokens import STOPS, WORD_RE

LIMIT = 5
POSTINGS_CAP = 100  # a tag on thousands of entries says little; its newest 100 are enough candidates
TAG_WEIGHT = 2  # a shared tag is more specific than a shared network
NETWORK_WEIGHT = 1
TERM_WEIGHT = 1  # a shared key term
KEY_TERMS = 6  # per entry
TERM_CAP = 30  # a key term's newest entries walked (a term is narrower than a tag, and an entry has several)
COMMON_SHARE = 0.1  # words in more than this share of entries (and at least 20) say nothing about one of them
PLAIN_WORDS = frozenset(  # everyday words search keeps (STOPS is short) but that say nothing about a topic
    [
        "about",
        "after",
        "also",
        "across",
        "before",
        "between",
        "both",
        "can",
        "could",
        "did",
        "does",
        "each",
        "every",
        "from",
        "had",
        "has",
        "have",
        "how",
        "into",
        "its",
        "just",
        "made",
        "make",
        "many",
        "more",
        "most",
        "much",
        "new",
        "not",
        "now",
        "one",
        "only",
        "other",
        "our",
        "over",
        "saw",
        "some",
        "such",
        "than",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "three",
        "through",
        "two",
        "under",
        "very",
        "was",
        "way",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "year",
        "years",
    ]
)
RANK_SPAN = 10**9  # larger than any catalogue, so recency only ever breaks ties of score


class OpCounter:
    """Counts candidate visits, so a test can show the work grows linearly (not by timing)."""

    def __init__(self) -> None:
        self.count = 0


def related_for(
    entry: Entry, cat: Catalogue, *, cap: int = POSTINGS_CAP, limit: int = LIMIT, ops: OpCounter | None = None
) -> list[str]:
    """Refs of up to `limit` entries most related to `entry`: higher score first, newer first among equals."""
    if entry.type == "network":
        return []  # a network's page is its hub: it lists everything of the network already
    scores: Counter[str] = Counter()
    terms = cat.derive("related_terms", key_terms)
    postings = [(cat.by_tag.get(t, []), TAG_WEIGHT) for t in dict.fromkeys(entry.tags)]
    postings += [(cat.by_network.get(n, []), NETWORK_WEIGHT) for n in dict.fromkeys(entry.networks)]
    postings += [(terms.postings.get(t, [])[: min(cap, TERM_CAP)], TERM_WEIGHT) for t in terms.of.get(entry.ref, ())]
    for refs, weight in postings:
        capped = refs[:cap]
        if ops is not None:
            ops.count += len(capped)
        for _ in range(weight):
            scores.update(capped)  # counted in C: the walk over postings is the whole cost
    scores.pop(entry.ref, None)
    for ref in cat.backlinks.get(entry.ref, ()):
        scores.pop(ref, None)  # already under "Referenced by"
    rank = cat.derive("related_rank", recency_rank)
    keyed = {ref: score * RANK_SPAN + rank[ref] for ref, score in scores.items() if ref in rank}
    return heapq.nlargest(limit, keyed, key=keyed.__getitem__)


class KeyTerms:
    """Each entry's key terms (`of`: ref -> terms) and each term's entries, newest first (`postings`)."""

    def __init__(self, of: dict[str, tuple[str, ...]], postings: dict[str, list[str]]) -> None:
        self.of, self.postings = of, postings


def entry_words(entry: Entry) -> Counter[str]:
    """Stemmed words of the title (counted twice) and summary, with their counts: stop words, numbers and words
    of one or two letters left out. Not the body: related lists read front matter only, so an edit to a body
    redoes only its own page in `kb serve` (speed/changes.py)."""
    found: Counter[str] = Counter()
    for text, weight in ((entry.title, 2), (entry.summary, 1)):
        words = map(
            cached_stem,
            [
                w
                for w in WORD_RE.findall(text.lower())
                if len(w) > 2 and w not in STOPS and w not in PLAIN_WORDS and not w.isdigit()
            ],
        )
        found.update({w: n * weight for w, n in Counter(words).items()})
    return found


def key_terms(cat: Catalogue) -> KeyTerms:
    """One pass to count in how many entries each word is, one to pick each entry's most telling words."""
    refs = [ref for ref, e in cat.entries.items() if e.type != "network"]  # newest first
    words = {ref: entry_words(cat.entries[ref]) for ref in refs}
    df: Counter[str] = Counter()
    for counts in words.values():
        df.update(counts.keys())
    common = max(20, COMMON_SHARE * len(refs))
    of: dict[str, tuple[str, ...]] = {}
    postings: dict[str, list[str]] = {}
    for ref in refs:
        weighed = {w: (1 + math.log(n)) * math.log(len(refs) / df[w]) for w, n in words[ref].items() if 1 < df[w] <= common}
        of[ref] = tuple(heapq.nlargest(KEY_TERMS, weighed, key=lambda w: (weighed[w], w)))
        for term in of[ref]:
            postings.setdefault(term, []).append(ref)
    return KeyTerms(of, postings)


def recency_rank(cat: Catalogue) -> dict[str, int]:
    """Each non-network entry's rank by recency (newest highest): the tie-breaker between equal scores.

    Folding it into one integer key (score * RANK_SPAN + rank) keeps the ranking of ~10^6
    candidates per 10,000 entries in C rather than in per-candidate Python tuples.
    """
    refs = [ref for ref, e in cat.entries.items() if e.type != "network"]  # newest first
    return {ref: len(refs) - i for i, ref in enumerate(refs)}


def related_index(cat: Catalogue, *, cap: int = POSTINGS_CAP, ops: OpCounter | None = None) -> dict[str, list[str]]:
    """Related refs of every entry (the scaling test counts its work)."""
    return {ref: related_for(entry, cat, cap=cap, ops=ops) for ref, entry in cat.entries.items()}


def prepare(cat: Catalogue) -> None:
    """Make the key terms before pages are rendered: a page worker forked later inherits them (made once). Not
    needed when every entry's related list is known already (a warm build of the same shape, speed/warm_build.py)."""
    known = cat.derived.get("related")
    if known is None or not known.keys() >= cat.entries.keys():
        cat.derive("related_terms", key_terms)


def related_context(entry: Entry, cat: Catalogue) -> dict:
    """ENTRY_CONTEXT hook: the entry's related entries for the footer template.

    Computed for each entry when its page is made, and kept for the build: a page worker
    (speed/page_worker.py) then computes only its own pages' (the whole index took each process 1 s)."""
    known = cat.derive("related", lambda _: {})
    if entry.ref not in known:
        known[entry.ref] = related_for(entry, cat)
    return {"related": [cat.entries[r] for r in known[entry.ref]]}
