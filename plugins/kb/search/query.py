"""Answering one search: a plan of Whoosh queries, facets, soft filters, a card and a page of hits.

Why it is shaped like this:
- What the words mean, and how they are corrected, is planning.py's; this module runs the plan.
- Facet counts come from posting sets precomputed once per open index, intersected with the
  matching documents (found without scoring): `groupedby` would score every hit.
- Which documents match, and their scores, come from match.py, not Whoosh's searcher:
  it was slow on phrases and its top-N shortcuts lost hits (see there). For a page within the
  entries checked for nearness, only those that can be among them are scored (ranking.py).
- Soft filters (planning.py) order the hits: entries carrying more of them first, then by score (or date).
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import Counter
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh import query as Q

from kb.search.index import open_index
from kb.search.match import Matching, field_lengths
from kb.search.planning import FIELD_BOOSTS, NEAR_FIELDS, NEAR_WINDOW, SOFT_FIELDS, Plan, Planner, stems
from kb.search.ranking import best, top_scores
from kb.search.side_postings import SideIndex
from kb.search.snippets import highlights, snippet
from kb.search.text import Concept, Names, SynonymMap, parse

FACET_FIELDS = {
    "type": "type",
    "network": "networks",
    "tag": "tags",
    "phase": "phase",
    "approach": "approach",
    "brokerage": "brokerage",
    "year": "year",
}
MAX_PAGE_SIZE = 50
MAX_PAGE = 100
SORTS = ("relevance", "newest")
NEAR_CANDIDATES = 50  # the top entries checked for their words near one another


class _Generation:
    """One opened index and what is read from it once: all of it replaced together when a newer index is swapped in."""

    def __init__(self, folder: Path, ix: Any, info: dict[str, Any], spelling: Any) -> None:
        self.ix, self.info, self.spelling = ix, info, spelling
        self.names = Names.from_json(info.get("names", {}))
        self.labels = info.get("labels", {})
        self.cards = info.get("cards", {})
        self.drafts: dict[str, str] = info.get("drafts", {})  # ref -> badge words; kb serve's preview index only
        with ix.searcher() as s:
            reader = s.reader()
            self.dates = list(reader.column_reader("date"))  # docnum -> "YYYY-MM-DD", for newest-first
            self.lengths = field_lengths(s, FIELD_BOOSTS)
            self.norms: dict[Any, list[float | None]] = {}  # BM25's length part per field and entry (match.py)
            self.side = SideIndex.open(folder, reader)  # the long lists as arrays, for the segments they were written for
            self.everyone = frozenset(reader.all_doc_ids())  # the live entries (an index updated in place keeps deleted ones)
            self.facet_sets = {
                name: {value: frozenset(reader.postings(field, value).all_ids()) for value in reader.field_terms(field)}
                for name, field in FACET_FIELDS.items()
            }
            self.facet_values = {name: _per_entry(sets, reader.doc_count_all()) for name, sets in self.facet_sets.items()}


class SearchEngine:
    """One open index (reopened when a newer one is swapped in), answering searches from many threads."""

    def __init__(self, index_dir: Path, fast: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.fast = fast  # posting lists read a block at a time (whoosh_internals.read_blocks); the same answers
        self.near_candidates = NEAR_CANDIDATES  # 0: no raising of entries whose words are near one another
        self.bounded = True  # only the entries that can reach the first page scored in full (ranking.py); the same answers
        self._lock = threading.Lock()
        self._local = threading.local()
        self._stamp: tuple[int, int] | None = None
        self._open()

    def _open(self) -> None:
        # The folder may be reached through a link that a release switch moves (live/current/site.search):
        # open the folder it points to now, and take its stamp first, so a switch during the open is seen next time.
        real = self.index_dir.resolve()
        stamp = self._current_stamp(real)
        self._state = _Generation(real, *open_index(real))  # one assignment: a search sees the old index or the new, never a mix
        self._stamp = stamp

    def _current_stamp(self, folder: Path | None = None) -> tuple[int, int] | None:
        try:
            st = ((folder or self.index_dir) / "kb-search.json").stat()
            return (st.st_ino, st.st_mtime_ns)
        except OSError:
            return None

    def refresh(self) -> None:
        """Reopen if the index folder was replaced since it was opened (cheap: one stat)."""
        stamp = self._current_stamp()
        if stamp is not None and stamp != self._stamp:
            with self._lock:
                if self._current_stamp() != self._stamp:
                    self._open()

    def _searcher(self) -> Any:
        local, state = self._local, self._now()
        if getattr(local, "generation", None) is not state:
            local.searcher, local.generation = state.ix.searcher(), state
        return local.searcher

    def _now(self) -> _Generation:
        """The index this thread's search is answering from (pinned for the whole search), else the newest."""
        return getattr(self._local, "pinned", None) or self._state

    # What one opened index holds, read through the search pinned to it.
    ix = property(lambda self: self._now().ix)
    info = property(lambda self: self._now().info)
    spelling = property(lambda self: self._now().spelling)
    names = property(lambda self: self._now().names)
    synonyms = property(lambda self: self._now().names)  # what parse() is given: tags' synonyms and every other name
    labels = property(lambda self: self._now().labels)
    drafts = property(lambda self: self._now().drafts)
    cards = property(lambda self: self._now().cards)
    dates = property(lambda self: self._now().dates)
    lengths = property(lambda self: self._now().lengths)
    facet_sets = property(lambda self: self._now().facet_sets)
    everyone = property(lambda self: self._now().everyone)

    def planner(self, reader: Any) -> Planner:
        return Planner(reader, self.spelling, self.labels, self.cards)

    def plan(self, reader: Any, concepts: list[Concept], literal: frozenset[str] = frozenset()) -> Plan:
        return self.planner(reader).plan(concepts, literal)

    def correct(self, reader: Any, word: str, maxdist: int = 2) -> str | None:
        return self.planner(reader).correct(word, maxdist)

    # -- answering -----------------------------------------------------------------------------
    def search(
        self,
        q: str = "",
        *,
        type: str | None = None,
        network: str | None = None,
        tag: str | None = None,
        phase: str | None = None,
        approach: str | None = None,
        brokerage: str | None = None,
        year: str | None = None,
        literal: tuple[str, ...] = (),
        page: int = 1,
        size: int = 10,
        sort: str = "relevance",
    ) -> dict[str, Any]:
        """A JSON-ready answer: hits for one page, total, facets, soft filters, a card, corrections and notes.
        `literal`: soft filters ("network:send") the searcher removed."""
        self.refresh()
        self._local.pinned = self._state  # a swap in another thread (a new release) waits for the next search
        try:
            return self._search(q, type, network, tag, phase, approach, brokerage, year, literal, page, size, sort)
        finally:
            self._local.pinned = None

    def _search(
        self,
        q: str,
        type: str | None,
        network: str | None,
        tag: str | None,
        phase: str | None,
        approach: str | None,
        brokerage: str | None,
        year: str | None,
        literal: tuple[str, ...],
        page: int,
        size: int,
        sort: str,
    ) -> dict[str, Any]:
        size = max(1, min(int(size), MAX_PAGE_SIZE))
        page = max(1, min(int(page), MAX_PAGE))
        sort = sort if sort in SORTS else "relevance"
        searcher = self._searcher()
        reader = searcher.reader()
        parsed = parse(q, self.names)
        filters = {"type": type, "network": network, "tag": tag, "phase": phase, "approach": approach, "brokerage": brokerage}
        filters["year"] = str(year) if year else None
        given = [(k, v) for k, v in filters.items() if v]
        plan = self.plan(reader, parsed.concepts, frozenset(literal))
        plan.soft = [s for s in plan.soft if (s["facet"], s["id"]) not in given]  # already a hard filter
        notes = list(parsed.notes)
        hard: list[Q.Query] = [Q.Term(FACET_FIELDS[k], v, boost=0.0) for k, v in given]
        allowed = frozenset.intersection(*(self.facet_sets[k].get(v, frozenset()) for k, v in given)) if given else None

        def combined(main: Q.Query) -> Q.Query:
            if plan.excluded:
                main = Q.AndNot(main, Q.Or(plan.excluded))
            return Q.And([main] + hard) if hard else main

        main: Q.Query = plan.query() if plan.clauses else Q.Every()  # type: ignore[no-untyped-call]  # whoosh leaves Every.__init__ unannotated
        if not plan.clauses and (q or "").strip():
            main = Q.NullQuery  # typed something, but nothing searchable: say so rather than list everything
            notes.append("There are no words to search for in that query: try a word or two, such as “attendance”.")
        now = self._now()
        matching = Matching(
            searcher, self.lengths, allowed, fast=self.fast, side=now.side if self.fast else None, norms=now.norms
        )  # reads no posting beyond what the filters allow
        matched = matching.matches(combined(main))
        if not matched and len(plan.clauses) > 1:
            main = Q.Or(plan.clauses + plan.optional)
            matched = matching.matches(combined(main))
            if matched:
                notes.append("No entry has all of those words; these have some of them.")
        if not plan.clauses:
            sort = "newest"
        total = len(matched)
        hits = []
        if total:
            first = self._soft_counts(plan, matched)
            limit = min(page * size, total)
            if sort == "newest":  # no scoring needed: dates were read once from the sortable column
                ranked = heapq.nlargest(limit, matched, key=lambda d: (first.get(d, 0), self.dates[d], -d))
                hits = [self._hit(searcher.stored_fields(d), None, plan.highlight) for d in ranked[(page - 1) * size :]]
            else:  # scored here, not by Whoosh's collector: see match.py
                if self.bounded and 0 < limit <= self.near_candidates < total:
                    scores = top_scores(matching, main, matched, first, self.near_candidates)
                else:
                    scores = matching.scores(main, matched)
                top = best(self.near_candidates, scores, first)
                for d, bonus in matching.near(NEAR_FIELDS, plan.near, top, NEAR_WINDOW).items():
                    scores[d] += bonus  # the words near one another: only the top entries gain, so pages stay in order
                # a bonus only raises the top entries, so when the page lies within them it is found among them alone
                ranked = best(limit, {d: scores[d] for d in top} if limit <= len(top) else scores, first)
                hits = [self._hit(searcher.stored_fields(d), scores[d], plan.highlight) for d in ranked[(page - 1) * size :]]
        return {
            "query": q,
            "page": page,
            "size": size,
            "sort": sort,
            "total": total,
            "pages": math.ceil(total / size) if total else 0,
            "filters": filters,
            "filter_labels": {k: self.labels.get(k, {}).get(v, v) for k, v in given},
            "results": hits,
            "facets": self.facets(matched),
            "soft": [self._chip(s, matched) for s in plan.soft],
            "card": dict(self.cards[plan.card], value=plan.card) if plan.card else None,
            "corrections": plan.corrections,
            "did_you_mean": self.did_you_mean(reader, parsed.concepts, plan, total),
            "notes": notes,
        }

    def _soft_counts(self, plan: Plan, matched: set[int]) -> dict[int, int]:
        """How many of the active soft filters each matching entry carries (they are listed first)."""
        counts: dict[int, int] = {}
        for facet, value in plan.active_soft:
            for d in self.facet_sets[facet].get(value, frozenset()) & matched:
                counts[d] = counts.get(d, 0) + 1
        return counts

    def _chip(self, soft: dict[str, Any], matched: set[int]) -> dict[str, Any]:
        carriers = self.facet_sets[soft["facet"]].get(soft["id"], frozenset())
        label = self.labels.get(soft["facet"], {}).get(soft["id"], soft["id"])
        return {**soft, "label": label, "count": len(carriers & matched)}

    def facets(self, matched: set[int]) -> dict[str, list[dict[str, Any]]]:
        """Counts per type, network, tag, phase, approach, brokerage role and year over every matching entry."""
        out: dict[str, list[dict[str, Any]]] = {}
        unmatched = self.everyone - matched if len(matched) * 2 > len(self.everyone) else None
        values_of = self._now().facet_values
        for name, sets in self.facet_sets.items():
            labels = self.labels.get(name, {})
            if unmatched is not None:  # most entries match: count those that do not, a smaller set to intersect
                counts = [(len(ids) - len(ids & unmatched), value) for value, ids in sets.items()]
            else:  # each matching entry's values counted (in C): a set per value to intersect cost more
                counted = Counter(chain.from_iterable(map(values_of[name].__getitem__, matched)))
                counts = [(counted[value], value) for value in sets]
            ordered = (
                sorted(counts, key=lambda c: c[1], reverse=True)
                if name == "year"
                else sorted(counts, key=lambda c: (-c[0], c[1]))
            )
            out[name] = [{"id": v, "label": labels.get(v, v), "count": n} for n, v in ordered if n]  # years newest first
        return out

    def did_you_mean(self, reader: Any, concepts: list[Concept], plan: Plan, total: int) -> str | None:
        """The query with misspelt words replaced, when that was searched or when few entries match."""
        replaced = dict(plan.corrections)
        if not replaced and total < 3:
            for c in concepts:
                if c.kind == "word" and not c.excluded:
                    better = self.correct(reader, c.words[0])
                    if better and self.spelling.doc_frequency(better) >= max(2, 3 * self.spelling.doc_frequency(c.words[0])):
                        replaced[c.words[0]] = better
        if not replaced:
            return None
        shown = (replaced.get(c.text, c.text) if c.kind in ("word", "compound") else c.text for c in concepts if not c.excluded)
        return " ".join(shown) or None

    def _hit(self, f: dict[str, Any], score: float | None, highlight: set[str]) -> dict[str, Any]:
        networks, tags = _split(f.get("networks")), _split(f.get("tags"))
        labels = self.labels
        cut = snippet(f.get("body") or "", highlight)
        if not cut["highlights"]:  # found by tag or title: the summary says more than the body's first lines
            cut = snippet(f.get("summary") or f.get("body") or "", highlight)
        return {
            "ref": f["ref"],
            "url": f["ref"] + "/",
            "title": f.get("title", ""),
            "title_highlights": highlights(f.get("title", ""), highlight),
            "type": f.get("type"),
            "type_label": labels.get("type", {}).get(f.get("type"), f.get("type")),
            "date": None if f.get("date", "").startswith("0000") else f.get("date"),
            "networks": [{"id": n, "label": labels.get("network", {}).get(n, n)} for n in networks],
            "tags": [{"id": t, "label": labels.get("tag", {}).get(t, t)} for t in tags],
            "summary": f.get("summary", ""),
            "snippet": cut,
            "score": round(float(score), 3) if score is not None else None,
            "draft": self.drafts.get(f["ref"], ""),  # "" but in kb serve's preview, where drafts are searched too
        }


def _per_entry(sets: dict[str, frozenset[int]], count: int) -> list[tuple[str, ...]]:
    """Each entry's values of one facet (by docnum), from the entries of each value."""
    values: list[list[str]] = [[] for _ in range(count)]
    for value, ids in sets.items():
        for d in ids:
            values[d].append(value)
    return [tuple(v) for v in values]


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


__all__ = ["SOFT_FIELDS", "SearchEngine", "SynonymMap", "highlights", "snippet", "stems"]
