"""Which entries match a search, and their scores, from each posting list read once per search.

Why not Whoosh's own search: at 10,000 entries it was slow and sometimes wrong.
- Slow: Whoosh checked a phrase's word positions in every entry having all its words, whatever
  the filters, then again while ranking ("shared template" is in 9,000 bodies: about 200 ms).
  Here a phrase is checked only among the entries that passed the cheap parts first (filters,
  the other words), from positions read in the same pass as the words' weights; where an entry
  matches anyway through another part of an Or (a tag's name as a phrase beside the word itself),
  only when its score is asked for, and ranking.py asks for few.
- Wrong: whoosh3 3.54's top-N shortcuts (block-quality skipping, and replacing the matcher
  mid-walk, which optimize=False still does) gave a first page different from Whoosh's own
  exhaustive ranking on 153 of 711 query and filter combinations tried (hits left out or
  under-scored), and its AndNot let an excluded entry through once. Scoring every match with
  Whoosh's matchers is exact but took 100-190 ms for a common word. So scores are computed
  here as Whoosh defines them: BM25F per word and field with the scorer's own idf, average
  length, B and K1, times the boost; a phrase scores the sum of its words' scores; And and Or
  add up the parts that match (the part with the longest posting lists first, then the others in
  query order: the same order for every entry, so an entry's score does not depend on which others
  are scored with it; Whoosh's matcher tree may add in another order, which can change the last bit).
  tests/search/test_match.py holds this to Whoosh's exhaustive answers: the same entries, the same scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from whoosh import query as Q

from kb.search.positions import Decoded, Joined, consecutive, merged, within_window
from kb.search.side_postings import SideIndex
from kb.search.whoosh_internals import bm25_parameters, is_leaf_matcher, positions_decoder, read_blocks


class Matching:
    """One search's view of the index: each posting list read once, as {entry: weight}."""

    def __init__(
        self,
        searcher,
        lengths: dict[str, list],
        universe: Set[int] | None = None,
        fast: bool = True,
        side: SideIndex | None = None,
        norms: dict | None = None,
    ):
        self.searcher = searcher
        self.fast = fast  # whoosh3 posting lists read a block at a time (whoosh_internals.read_blocks)
        self.side = side  # the index's long lists as arrays (side_postings.py), when written for its segment
        self.reader = searcher.reader()
        self.lengths = lengths  # field -> length of that field per entry (see field_lengths)
        self.universe = universe  # the entries the filters allow (None: all); when few, long lists are read only there
        self._sorted_universe = sorted(universe) if universe is not None else None
        self._postings: dict[tuple[str, str], dict[int, float]] = {}
        self._positions: dict[tuple[str, str], Mapping[int, Sequence[int]]] = {}  # decoded only where a phrase asks
        self._positional: set[tuple[str, str]] = set()  # the (field, word) pairs of the search's phrases
        self.phrases: dict[tuple[str, tuple[str, ...]], set[int]] = {}  # entries where the phrase was found
        self._checked: dict[tuple[str, tuple[str, ...]], set[int]] = {}  # entries where it was looked for
        self._bm25: dict[tuple[str, str], tuple[float, float, float, float] | None] = {}  # see _parameters
        self._most: dict[tuple[str, str], float] = {}  # see most
        self.norms = norms if norms is not None else {}  # BM25's length part per entry, and its least, per open index

    def postings(self, field: str, text: str) -> dict[int, float]:
        """{entry: weight (term frequency)} for one word in one field (all of it, or only the universe's entries)."""
        key = (field, text)
        if key not in self._postings:
            self._read(field, text)
        return self._postings[key]

    def _read(self, field: str, text: str) -> None:
        """One pass over a posting list: weights, and the positions of phrase words (decoded when a phrase asks).

        Reading positions here, not with a matcher per phrase, saves a second pass over the same blocks.
        With side lists (side_postings.py), each segment is read from its lists if it has them, else through Whoosh;
        without them, the index is read whole through Whoosh."""
        keep = (field, text) in self._positional
        leaves = self.reader.leaf_readers() if self.side is not None else [(self.reader, 0)]
        read = [self._read_leaf(leaf, offset, field, text, keep) for leaf, offset in leaves]
        if len(read) == 1:
            weights, positions = read[0]
        else:  # each entry is in one segment only
            weights = {d: w for found, _ in read for d, w in found.items()}
            positions = Joined([values for _, values in read])
        self._postings[(field, text)], self._positions[(field, text)] = weights, positions

    def _read_leaf(
        self, leaf, offset: int, field: str, text: str, keep: bool
    ) -> tuple[dict[int, float], Mapping[int, Sequence[int]]]:
        lists = self.side.lists_for(leaf) if self.side is not None else None
        if lists is not None and lists.has(field, text):
            weights, values = lists.postings(field, text, keep, offset)
            return weights, values if values is not None else {}
        weights, encoded = self._read_whoosh(leaf, field, text, keep, offset)
        return weights, self._decoded(field, encoded) if keep else {}

    def _decoded(self, field: str, encoded: dict[int, bytes]) -> Mapping[int, Sequence[int]]:
        return Decoded(encoded, positions_decoder(self.reader.schema[field].format))

    def _read_whoosh(
        self, reader, field: str, text: str, keep: bool, offset: int = 0
    ) -> tuple[dict[int, float], dict[int, bytes]]:
        """A posting list through Whoosh's reader (the whole index's, or one segment's numbered from `offset`)."""
        weights: dict[int, float] = {}
        positions: dict[int, bytes] = {}
        if (field, text) not in reader:
            return weights, positions
        m = reader.postings(field, text)
        if not offset and self.universe is not None and len(self.universe) * 16 < reader.doc_frequency(field, text):
            assert self._sorted_universe is not None  # set with self.universe
            for d in self._sorted_universe:  # a few entries of a long list: jump to each (pays off for small filters)
                m.skip_to(d)
                if not m.is_active():
                    break
                if m.id() == d:
                    weights[d] = m.weight()
                    if keep:
                        positions[d] = m.value()
        elif self.fast and not offset and is_leaf_matcher(m):
            read_blocks(m, weights, positions if keep else None)
        else:  # several segments, deleted entries (an index updated in place), or a segment after the first
            while m.is_active():
                weights[m.id() + offset] = m.weight()
                if keep:
                    positions[m.id() + offset] = m.value()
                m.next()
        return weights, positions

    # -- which entries ------------------------------------------------------------------------
    def matches(self, q: Q.Query) -> set[int]:
        """The entries matching a whole search (filters included: the universe only narrows what is read)."""
        self._positional.update((p.fieldname, w) for p in _phrases(q) for w in p.words)
        return self.docs(q)

    def docs(self, q: Q.Query, within: set[int] | None = None, known: tuple[Set[int], ...] = ()) -> set[int]:
        """The entries matching `q`: exact inside `within` (None: everywhere) and the universe, but for
        those in any of `known`; outside `within`, perhaps not all of them.

        `within` is what the rest of the search already requires (filters, an And's other parts),
        so phrases are checked only there. `known`: entries an Or already has through other parts;
        a phrase is not checked there (that only its score could need, and scores() checks it then)."""
        if isinstance(q, Q.Phrase):
            return self._phrase(q.fieldname, tuple(q.words), within, known)
        if isinstance(q, Q.Term):
            return set(self.postings(q.fieldname, q.text))
        if isinstance(q, Q.AndNot):
            found: set[int] | None = self.docs(q.a, within, known)
            return found - self.docs(q.b, found) if found else set()
        if isinstance(q, Q.AndMaybe):  # the optional part never narrows (its phrases are checked if scored)
            return self.docs(q.a, within, known)
        if isinstance(q, Q.And):
            found = within
            for sub in sorted(q.subqueries, key=has_phrase):  # words and filters first: they narrow the phrases' work
                part = self.docs(sub, found, known)
                found = part if found is None else found & part
                if not found:
                    return set()
            return set() if found is None else found
        if isinstance(q, Q.Or):
            found = set()
            for sub in sorted(q.subqueries, key=has_phrase):  # words first: a phrase is then looked for only elsewhere
                found |= self.docs(sub, within, (*known, found) if found else known)
            return found
        if isinstance(q, Q.Every):
            return set(self.reader.all_doc_ids())  # not range(doc_count_all()): that counts deleted entries
        if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
            return set()
        raise TypeError(f"no matching rule for {type(q).__name__}")

    def _phrase(self, field: str, words: tuple[str, ...], within: Set[int] | None, known: tuple[Set[int], ...] = ()) -> set[int]:
        """Entries with the words next to each other, checked only among those with all the words inside
        `within` but not in `known`."""
        candidates = self._candidates(field, words, within)
        return self._check(field, words, candidates.difference(*known))

    def _candidates(self, field: str, words: tuple[str, ...], within: Set[int] | None) -> set[int]:
        """The entries having all the words (inside `within`): the phrase's entries and perhaps more.
        Walks the shortest of the lists and `within` only (a set made of a long list costs as much as it)."""
        lists: list[Set[int]] = sorted((self.postings(field, w).keys() for w in words), key=len)
        if within is not None:
            lists.insert(0 if len(within) < len(lists[0]) else 1, within)
        candidates = set(lists[0])
        for other in lists[1:]:
            candidates = {d for d in candidates if d in other}
        return candidates

    def _check(self, field: str, words: tuple[str, ...], candidates: set[int]) -> set[int]:
        """The candidates where the phrase is, each looked for once a search."""
        key = (field, words)
        checked, found = self._checked.setdefault(key, set()), self.phrases.setdefault(key, set())
        unchecked = candidates - checked
        if unchecked:
            found.update(consecutive([self._positions[(field, w)] for w in words], unchecked))
            checked |= unchecked
        return found & candidates

    # -- how well ------------------------------------------------------------------------------
    def scores(self, q: Q.Query, docs: set[int]) -> dict[int, float]:
        """Whoosh's score of `q` for each entry of `docs` it matches (phrases looked for where not yet).

        An entry's score depends on it alone, never on which other entries are scored with it (the
        parts are added in an order fixed by the query: see _reach), so the entries that can reach the
        first page can be scored on their own (ranking.py)."""
        if isinstance(q, Q.Term):
            return self._word(q.fieldname, q.text, docs, q.boost)
        if isinstance(q, Q.Phrase):
            words_of = tuple(q.words)
            candidates = self._candidates(q.fieldname, words_of, docs)
            found = self._check(q.fieldname, words_of, candidates)
            words = [self._word(q.fieldname, w, found) for w in q.words]
            if len(words) == 2:  # most phrases: the sum without a call per entry
                first, second = words
                return {d: (first[d] + second[d]) * q.boost for d in found}
            return {d: _pairwise([p[d] for p in words]) * q.boost for d in found}
        if isinstance(q, Q.AndNot):
            return self.scores(q.a, docs - self.docs(q.b, docs))
        if isinstance(q, Q.AndMaybe):  # the required part's score, plus the optional part's where it matches
            required = self.scores(q.a, docs)
            extra = self.scores(q.b, set(required))
            both = {d: s + extra[d] if d in extra else s for d, s in required.items()}
            return {d: s * q.boost for d, s in both.items()} if q.boost != 1.0 else both
        if isinstance(q, (Q.And, Q.Or)):
            parts = []
            for sub in q.subqueries:
                parts.append(self.scores(sub, docs))
                if isinstance(q, Q.And):
                    docs = docs & parts[-1].keys()
            if len(parts) == 1 and q.boost == 1.0:
                return parts[0]
            reach = [self._reach(sub) for sub in q.subqueries]
            widest = max(range(len(parts)), key=reach.__getitem__)  # most often the largest part: copied whole
            total = dict(parts[widest])  # the others added to it in query order (the order of the sum: last bit only)
            for i, part in enumerate(parts):  # And: each part has every entry left in docs; Or: the entries each part matched
                if i != widest:
                    for d, s in part.items():
                        total[d] = total.get(d, 0.0) + s
            if isinstance(q, Q.And):
                total = {d: total[d] for d in docs}
            return {d: s * q.boost for d, s in total.items()} if q.boost != 1.0 else total
        if isinstance(q, Q.Every):
            return dict.fromkeys(docs & self.docs(q), 0.0)  # never ranked: a search without words lists newest first
        if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
            return {}
        raise TypeError(f"no scoring rule for {type(q).__name__}")

    def _reach(self, q: Q.Query) -> int:
        """How many entries `q` could match at most, from its posting lists' lengths alone: the same
        whichever entries are scored, so it orders a sum the same way for each of them."""
        if isinstance(q, Q.Term):
            return len(self.postings(q.fieldname, q.text))
        if isinstance(q, Q.Phrase):
            return min(len(self.postings(q.fieldname, w)) for w in q.words) if q.words else 0
        if isinstance(q, (Q.AndNot, Q.AndMaybe)):
            return self._reach(q.a)
        if isinstance(q, Q.And):
            return min((self._reach(sub) for sub in q.subqueries), default=0)
        if isinstance(q, Q.Or):
            return sum(self._reach(sub) for sub in q.subqueries)
        return self.reader.doc_count_all() if isinstance(q, Q.Every) else 0

    def _word(self, field: str, text: str, docs: set[int], boost: float = 1.0) -> dict[int, float]:
        weights = self.postings(field, text)
        docs = docs & weights.keys()
        if not docs:
            return {}
        parameters = self._parameters(field, text)
        if parameters is None:  # fields without lengths (ids, keywords) score their weight
            return {d: weights[d] * boost for d in docs}
        # whoosh.scoring.bm25(idf, tf, fl, avgfl, B, K1) written out (the same operations in the same
        # order, without a call per entry), times the boost as Whoosh's wrapping matcher does
        idf, avgfl, b, k1 = parameters
        norm, k1_plus_1 = self._norm(field, avgfl, b, k1), k1 + 1
        return {d: idf * ((weights[d] * k1_plus_1) / (weights[d] + norm[d])) * boost for d in docs}

    def _norm(self, field: str, avgfl: float, b: float, k1: float) -> list:
        """K1 * ((1 - B) + B * length / average length) of each entry, as bm25() works it out: the same for
        every word of a field, so worked out once per open index (the engine keeps `norms`)."""
        key = (field, avgfl, b, k1)
        norm = self.norms.get(key)
        if norm is None:
            norm = self.norms[key] = [
                k1 * ((1 - b) + b * length / avgfl) if length is not None else None  # None: an entry without the field
                for length in self.lengths[field]
            ]
        return norm

    def _parameters(self, field: str, text: str) -> tuple[float, float, float, float] | None:
        """BM25's (idf, average length, B, K1) for one word in one field, worked out once a search."""
        key = (field, text)
        if key not in self._bm25:
            self._bm25[key] = bm25_parameters(self.searcher.weighting.scorer(self.searcher, field, text))
        return self._bm25[key]

    def most(self, field: str, text: str) -> float:
        """The most one word in one field adds to an entry's score (before boosts): BM25's
        tf * (K1 + 1) / (tf + norm) grows with tf and shrinks with norm, so the list's largest tf over the
        field's least norm; a field scored by weight (ids, keywords), its largest weight. Once a search."""
        if (field, text) in self._most:
            return self._most[(field, text)]
        weights = self.postings(field, text)
        parameters = self._parameters(field, text) if weights else None  # a word no entry has has no scorer
        tf = max(weights.values(), default=0.0)
        if parameters is None:
            most = tf
        else:
            idf, avgfl, b, k1 = parameters
            key = ("least", field, avgfl, b, k1)
            if key not in self.norms:
                self.norms[key] = [min((n for n in self._norm(field, avgfl, b, k1) if n is not None), default=0.0)]
            most = idf * ((tf * (k1 + 1)) / (tf + self.norms[key][0]))
        self._most[(field, text)] = most
        return most

    # -- words near one another -----------------------------------------------------------------
    def positions_in(self, field: str, text: str, docs: list[int]) -> dict[int, list[int]]:
        """{entry: positions} of one word in one field, for a few entries (sorted), skipping to each."""
        found: dict[int, list[int]] = {}
        if (field, text) not in self.reader:
            return found
        decode = positions_decoder(self.reader.schema[field].format)
        known = self._positions.get((field, text)) if (field, text) in self._positional else None  # else none were kept
        if known is None and self.side is not None and self.reader.is_atomic():
            lists = self.side.lists_for(self.reader)
            if lists is not None and lists.has(field, text):
                known = lists.values(field, text)  # the positions of a few entries, cut from the list
        m = None
        for d in docs:
            if known is not None and d in known:
                found[d] = list(known[d])
                continue
            m = m or self.reader.postings(field, text)
            m.skip_to(d)
            if not m.is_active():
                break
            if m.id() == d:
                found[d] = list(decode(m.value()))
        return found

    def near(self, fields: dict[str, float], concepts: list[set[str]], docs: list[int], window: int) -> dict[int, float]:
        """{entry: sum of the boosts of the fields where every concept (any of its words) occurs within
        `window` positions}: for a few top entries only (every word's positions are read for each)."""
        bonus: dict[int, float] = {}
        if len(concepts) < 2 or not docs:
            return bonus
        ordered = sorted(docs)
        for field, boost in fields.items():
            places = [merged(self.positions_in(field, w, ordered) for w in words) for words in concepts]
            for d in ordered:
                if all(d in p for p in places) and within_window([p[d] for p in places], window):
                    bonus[d] = bonus.get(d, 0.0) + boost
        return bonus


def field_lengths(searcher, fields) -> dict[str, list]:
    """Each text field's length per entry, read once per open index (BM25F needs one per scored word)."""
    count = searcher.doc_count_all()
    return {f: [searcher.doc_field_length(d, f, 1) for d in range(count)] for f in fields}


def _phrases(q: Q.Query):
    if isinstance(q, Q.Phrase):
        yield q
    for sub in q.children():
        yield from _phrases(sub)


def has_phrase(q: Q.Query) -> bool:
    return any(True for _ in _phrases(q))


def _pairwise(values: list[float]) -> float:
    """A sum in the order Whoosh's binary matcher tree adds a phrase's words (a + (b + c))."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _pairwise(values[:half]) + _pairwise(values[half:])
