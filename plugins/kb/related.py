"""Related entries: those sharing tags and networks with an entry, ranked, at most five.

Never compares every pair: for each entry we walk only the postings lists (by_tag,
by_network) of its own tags and networks, each capped to its newest POSTINGS_CAP refs, so
the work per entry is bounded and the whole index grows linearly with the catalogue.
"""
from __future__ import annotations

from collections import defaultdict

from .catalogue import Catalogue, Entry

LIMIT = 5
POSTINGS_CAP = 100  # a tag on thousands of entries says little; its newest 100 are enough candidates
TAG_WEIGHT = 2  # a shared tag is more specific than a shared network
NETWORK_WEIGHT = 1


class OpCounter:
    """Counts candidate visits, so a test can show the work grows linearly (not by timing)."""

    def __init__(self) -> None:
        self.count = 0


def related_for(entry: Entry, cat: Catalogue, *, cap: int = POSTINGS_CAP, limit: int = LIMIT,
                ops: OpCounter | None = None) -> list[str]:
    """Refs of up to `limit` entries most related to `entry`: higher score, then newer, then by ref."""
    if entry.type == "network":
        return []  # a network's page is its hub: it lists everything of the network already
    scores: dict[str, int] = defaultdict(int)
    postings = [(cat.by_tag.get(t, []), TAG_WEIGHT) for t in dict.fromkeys(entry.tags)]
    postings += [(cat.by_network.get(n, []), NETWORK_WEIGHT) for n in dict.fromkeys(entry.networks)]
    for refs, weight in postings:
        for ref in refs[:cap]:
            if ops is not None:
                ops.count += 1
            if ref != entry.ref:
                scores[ref] += weight
    position = {}  # catalogue order is newest first; only candidates need a position
    candidates = [ref for ref in scores if cat.entries[ref].type != "network"]
    for ref in candidates:
        other = cat.entries[ref]
        position[ref] = (other.date.toordinal() if other.date else 0)
    candidates.sort(key=lambda ref: (-scores[ref], -position[ref], ref))
    return candidates[:limit]


def related_index(cat: Catalogue, *, cap: int = POSTINGS_CAP, ops: OpCounter | None = None) -> dict[str, list[str]]:
    """Related refs of every entry, computed once per build (through catalogue.derive)."""
    return {ref: related_for(entry, cat, cap=cap, ops=ops) for ref, entry in cat.entries.items()}


def related_context(entry: Entry, cat: Catalogue) -> dict:
    """ENTRY_CONTEXT hook: the entry's related entries for the footer template."""
    index = cat.derive("related", related_index)
    return {"related": [cat.entries[r] for r in index.get(entry.ref, [])]}
