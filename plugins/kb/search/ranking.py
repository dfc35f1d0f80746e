"""The best entries of a search: by soft filters, then score; only those that can be among them scored in full.

Why: a common word matches nearly every entry ("data": 9,545 of 9,568), and scoring each in every
field, with each phrase a tag's name makes looked for, was most of a search's time. A bound on what
each part of the query can add (MaxScore) tells which entries cannot reach the k best; they are
counted (totals and facets come from the matching entries) but not scored. Their pages would be
past the first k: a later page is ranked from every entry's score (query.py).
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Set

from whoosh import query as Q

from kb.search.match import Matching


def best(k: int, scores: dict[int, float], first: dict[int, int]) -> list[int]:
    """The k best entries: those carrying more soft filters first, then by score; ties go to the lower docnum."""
    if first:
        return heapq.nlargest(k, scores, key=lambda d: (first.get(d, 0), scores[d], -d))
    return [-d for _, d in heapq.nlargest(k, zip(scores.values(), map(operator.neg, scores)))]  # tuples compared in C


def top_scores(matching: Matching, q: Q.Query, matched: set[int], first: dict[int, int], k: int) -> dict[int, float]:
    """The scores of entries among which are the k best (by soft filters, then score); the others are not scored.

    An entry's score is at most the sum of the bounds of the parts (words, phrases) it is in (bounds).
    The entries of the parts that can add most are scored first, and the k-th best of them is a floor
    the k best reach; the parts whose bounds together stay below it cannot lift an entry having only
    them to the floor, so only the entries in another part are scored too (MaxScore), and a phrase is
    looked for only there. The first page, and the k entries checked for nearness, are those of scoring
    every match (tests/search/test_bounded.py)."""
    parts = sorted(bounds(matching, q), key=lambda part: part[0], reverse=True)
    if parts and parts[-1][0] < 0:  # a part taking away (none does: idf > 0, boosts >= 0): no bound holds
        return matching.scores(q, matched)
    sample: set[int] = set()
    for _, ids in parts:  # the entries of the parts that can add most, until k of them match
        sample |= ids & matched
        if len(sample) >= k:
            break
    exact = matching.scores(q, sample)
    if len(exact) < k:
        return matching.scores(q, matched)
    kth = best(k, exact, first)[-1]
    level, floor = first.get(kth, 0), exact[kth] - abs(exact[kth]) * 1e-9  # a hair lower: sums rounded in other orders
    below, essential = 0.0, []
    for bound, ids in reversed(parts):  # the parts that add least: together below the floor, they cannot lift an entry
        below += bound
        if below >= floor:
            essential.append(ids)
    rest = set().union(*essential) & matched if essential else set()
    rest |= {d for d, n in first.items() if n > level}  # more of the soft filters: before the floor whatever their score
    exact.update(matching.scores(q, rest - exact.keys()))
    return exact


def bounds(matching: Matching, q: Q.Query, boost: float = 1.0) -> list[tuple[float, Set[int]]]:
    """(the most a part can add to a score, the entries it can add to) for each word and phrase of `q`, boosted
    as Matching.scores boosts them (Matching.most: each word's most in a field): an entry's score is at most
    the sum of the bounds of the parts it is in (the parts add up, and none is negative: idf > 0, boosts >= 0)."""
    if isinstance(q, Q.Term):
        return [(matching.most(q.fieldname, q.text) * q.boost * boost, matching.postings(q.fieldname, q.text).keys())]
    if isinstance(q, Q.Phrase):
        shortest = min((matching.postings(q.fieldname, w) for w in q.words), key=len, default={})
        return [(sum(matching.most(q.fieldname, w) for w in q.words) * q.boost * boost, shortest.keys())]
    if isinstance(q, Q.AndNot):  # scored as its first part
        return bounds(matching, q.a, boost)
    if isinstance(q, Q.AndMaybe):
        return bounds(matching, q.a, boost * q.boost) + bounds(matching, q.b, boost * q.boost)
    if isinstance(q, (Q.And, Q.Or)):
        return [part for sub in q.subqueries for part in bounds(matching, sub, boost * q.boost)]
    return []  # Every, NullQuery: they add nothing
