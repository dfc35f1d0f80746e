"""Related entries: those sharing tags and networks with an entry, ranked, at most five.

Never compares every pair: for each entry we walk only the postings lists (by_tag,
by_network) of its own tags and networks, each capped to its newest POSTINGS_CAP refs, so
the work per entry is bounded and the whole index grows linearly with the catalogue.
"""

from __future__ import annotations

import heapq
from collections import Counter

from kb.content.catalogue import Catalogue, Entry

LIMIT = 5
POSTINGS_CAP = 100  # a tag on thousands of entries says little; its newest 100 are enough candidates
TAG_WEIGHT = 2  # a shared tag is more specific than a shared network
NETWORK_WEIGHT = 1
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
    postings = [(cat.by_tag.get(t, []), TAG_WEIGHT) for t in dict.fromkeys(entry.tags)]
    postings += [(cat.by_network.get(n, []), NETWORK_WEIGHT) for n in dict.fromkeys(entry.networks)]
    for refs, weight in postings:
        capped = refs[:cap]
        if ops is not None:
            ops.count += len(capped)
        for _ in range(weight):
            scores.update(capped)  # counted in C: the walk over postings is the whole cost
    scores.pop(entry.ref, None)
    rank = cat.derive("related_rank", recency_rank)
    keyed = {ref: score * RANK_SPAN + rank[ref] for ref, score in scores.items() if ref in rank}
    return heapq.nlargest(limit, keyed, key=keyed.__getitem__)


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


def related_context(entry: Entry, cat: Catalogue) -> dict:
    """ENTRY_CONTEXT hook: the entry's related entries for the footer template.

    Computed for each entry when its page is made, and kept for the build: a page worker
    (speed/page_worker.py) then computes only its own pages' (the whole index took each process 1 s)."""
    known = cat.derive("related", lambda _: {})
    if entry.ref not in known:
        known[entry.ref] = related_for(entry, cat)
    return {"related": [cat.entries[r] for r in known[entry.ref]]}
