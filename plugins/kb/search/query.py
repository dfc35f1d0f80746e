"""Answering one search: words to a Whoosh query, corrections, facets, snippets and a page of hits.

Why it is shaped like this:
- Misspellings are corrected against the unstemmed word list beside the index (spelling.py;
  Whoosh's fuzzy terms find nothing on a stemmed field), closest edit distance first, most common word among equals;
  transpositions count as two edits, so long words are allowed two.
- Tags.yml synonyms are expanded here, at query time: Whoosh has no synonym filter, and a
  synonym must find its tag's entries even when no entry contains the word.
- Facet counts come from posting sets precomputed once per open index, intersected with the
  matching documents (found without scoring): `groupedby` would score every hit.
- Which documents match, and their scores, come from match.py, not Whoosh's searcher:
  it was slow on phrases and its top-N shortcuts lost hits (see there).
"""

from __future__ import annotations

import heapq
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as Q

from kb.search.analysis import STEMMED
from kb.search.index import open_index
from kb.search.match import Matching, field_lengths
from kb.search.text import Concept, SynonymMap, parse

FIELD_BOOSTS = {"title": 4.0, "tagtext": 3.0, "summary": 2.0, "body": 1.0, "extra": 1.0}
TAG_BOOST = 3.0
FACET_FIELDS = {"type": "type", "network": "networks", "tag": "tags"}
MAX_PAGE_SIZE = 50
MAX_PAGE = 100
SNIPPET_CHARS = 200
SORTS = ("relevance", "newest")


def stems(text: str) -> list[str]:
    return [t.text for t in STEMMED(text)]


def _any_field(terms: list[str], phrase: bool = False) -> Q.Query | None:
    """The words in any text field, each field weighted by how much a match there says."""
    if not terms:
        return None
    if phrase and len(terms) > 1:
        return Q.Or([Q.Phrase(f, terms, boost=b) for f, b in FIELD_BOOSTS.items()])
    return Q.And([Q.Or([Q.Term(f, t, boost=b) for f, b in FIELD_BOOSTS.items()]) for t in terms])


@dataclass
class Plan:
    clauses: list[Q.Query]
    excluded: list[Q.Query]
    highlight: set[str]  # stems to highlight in snippets
    corrections: dict[str, str]  # typed word -> word searched for instead


class SearchEngine:
    """One open index (reopened when a newer one is swapped in), answering searches from many threads."""

    def __init__(self, index_dir: Path, fast: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.fast = fast  # posting lists read a block at a time (whoosh_internals.read_blocks); the same answers
        self._lock = threading.Lock()
        self._local = threading.local()
        self._stamp: tuple[int, int] | None = None
        self._open()

    def _open(self) -> None:
        # The folder may be reached through a link that a release switch moves (live/current/site.search):
        # open the folder it points to now, and take its stamp first, so a switch during the open is seen next time.
        real = self.index_dir.resolve()
        stamp = self._current_stamp(real)
        self.ix, self.info, self.spelling = open_index(real)
        self.synonyms = SynonymMap.from_json(self.info.get("synonyms", {}))
        self.labels = self.info.get("labels", {})
        self._stamp = stamp
        self._generation = object()
        with self.ix.searcher() as s:
            reader = s.reader()
            self.dates = list(reader.column_reader("date"))  # docnum -> "YYYY-MM-DD", for newest-first
            self.lengths = field_lengths(s, FIELD_BOOSTS)
            self.facet_sets = {
                name: {value: frozenset(reader.postings(field, value).all_ids()) for value in reader.field_terms(field)}
                for name, field in FACET_FIELDS.items()
            }

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
        local = self._local
        if getattr(local, "generation", None) is not self._generation:
            local.searcher, local.generation = self.ix.searcher(), self._generation
        return local.searcher

    # -- understanding the words -------------------------------------------------------------
    def _known(self, reader: Any, word: str) -> bool:
        if self.spelling.doc_frequency(word):
            return True
        return any(reader.doc_frequency(f, s) for s in stems(word) for f in FIELD_BOOSTS)

    def correct(self, reader: Any, word: str, maxdist: int = 2) -> str | None:
        """The indexed word closest to a misspelt one: fewest edits, then most entries."""
        if len(word) < 4 or word.isdigit():
            return None
        for dist in (1, 2)[:maxdist] if len(word) >= 7 else (1,):
            found: list[str] = [w for w in self.spelling.within(word, dist, prefix=1) if w != word and len(w) > 2]
            if found:
                return max(found, key=lambda w: (self.spelling.doc_frequency(w), w))
        return None

    def plan(self, reader: Any, concepts: list[Concept]) -> Plan:
        plan = Plan([], [], set(), {})
        for c in concepts:
            text = " ".join(c.words)
            if c.excluded:
                clause = _any_field(stems(text))
                if clause is not None:
                    plan.excluded.append(clause)
                continue
            if c.kind == "synonym":
                label = self.labels.get("tag", {}).get(c.tag, "")
                alternatives = [
                    Q.Term("tags", c.tag, boost=TAG_BOOST),  # the tag's entries, whatever words they use
                    _any_field(stems(text), phrase=True),
                ]  # the words as typed
                if stems(label) != stems(text):
                    alternatives.append(_any_field(stems(label), phrase=True))  # the tag's own name ("youth violence")
                plan.clauses.append(Q.Or([a for a in alternatives if a is not None]))
                plan.highlight.update(stems(text))
                continue
            terms = stems(text)
            if not terms:
                continue  # a stop word on its own ("the") adds nothing
            clause = _any_field(terms, phrase=c.kind == "phrase")
            assert clause is not None  # `terms` is not empty
            plan.highlight.update(terms)
            if c.kind == "word" and not self.spelling.doc_frequency(c.words[0]):
                # Spelt as no entry spells it: if its stem is known ("attendence" -> attend) only a
                # one-edit neighbour is offered, so "mentored" is never "corrected" to "mentors".
                better = self.correct(reader, c.words[0], 1 if self._known(reader, c.words[0]) else 2)
                if better:
                    plan.corrections[c.words[0]] = better
                    plan.highlight.update(stems(better))
                    better_clause = _any_field(stems(better))
                    assert better_clause is not None  # a spelling-list word is never a stop word, so it has a stem
                    clause = Q.Or([clause, better_clause])
            plan.clauses.append(clause)
        return plan

    # -- answering -----------------------------------------------------------------------------
    def search(
        self,
        q: str = "",
        *,
        type: str | None = None,
        network: str | None = None,
        tag: str | None = None,
        page: int = 1,
        size: int = 10,
        sort: str = "relevance",
    ) -> dict[str, Any]:
        """A JSON-ready answer: hits for one page, total, facets, corrections and notes."""
        self.refresh()
        size = max(1, min(int(size), MAX_PAGE_SIZE))
        page = max(1, min(int(page), MAX_PAGE))
        sort = sort if sort in SORTS else "relevance"
        searcher = self._searcher()
        reader = searcher.reader()
        parsed = parse(q, self.synonyms)
        plan = self.plan(reader, parsed.concepts)
        notes = list(parsed.notes)
        given = [(k, v) for k, v in (("type", type), ("network", network), ("tag", tag)) if v]
        filters: list[Q.Query] = [Q.Term(FACET_FIELDS[k], v, boost=0.0) for k, v in given]
        allowed = frozenset.intersection(*(self.facet_sets[k].get(v, frozenset()) for k, v in given)) if given else None

        def combined(main: Q.Query) -> Q.Query:
            if plan.excluded:
                main = Q.AndNot(main, Q.Or(plan.excluded))
            return Q.And([main] + filters) if filters else main

        main: Q.Query = Q.And(plan.clauses) if plan.clauses else Q.Every()  # type: ignore[no-untyped-call]  # whoosh leaves Every.__init__ unannotated
        if not plan.clauses and (q or "").strip():
            main = Q.NullQuery  # typed something, but nothing searchable: say so rather than list everything
            notes.append("There are no words to search for in that query: try a word or two, such as “attendance”.")
        matching = Matching(searcher, self.lengths, allowed, fast=self.fast)  # reads no posting beyond what the filters allow
        matched = matching.matches(combined(main))
        if not matched and len(plan.clauses) > 1:
            main = Q.Or(plan.clauses)
            matched = matching.matches(combined(main))
            if matched:
                notes.append("No entry has all of those words; these have some of them.")
        if not plan.clauses:
            sort = "newest"
        total = len(matched)
        hits = []
        if total:
            limit = min(page * size, total)
            if sort == "newest":  # no scoring needed: dates were read once from the sortable column
                ranked = heapq.nlargest(limit, matched, key=lambda d: (self.dates[d], -d))
                hits = [self._hit(searcher.stored_fields(d), None, plan.highlight) for d in ranked[(page - 1) * size :]]
            else:  # scored here, not by Whoosh's collector: see match.py
                scores = matching.scores(main, matched)
                ranked = heapq.nlargest(limit, scores, key=lambda d: (scores[d], -d))  # ties: lower docnum, as Whoosh
                hits = [self._hit(searcher.stored_fields(d), scores[d], plan.highlight) for d in ranked[(page - 1) * size :]]
        return {
            "query": q,
            "page": page,
            "size": size,
            "sort": sort,
            "total": total,
            "pages": math.ceil(total / size) if total else 0,
            "filters": {"type": type, "network": network, "tag": tag},
            "results": hits,
            "facets": self.facets(matched),
            "corrections": plan.corrections,
            "did_you_mean": self.did_you_mean(reader, parsed.concepts, plan, total),
            "notes": notes,
        }

    def facets(self, matched: set[int]) -> dict[str, list[dict[str, Any]]]:
        """Counts per type, network and tag over every matching entry, most common first."""
        out: dict[str, list[dict[str, Any]]] = {}
        for name, sets in self.facet_sets.items():
            labels = self.labels.get(name, {})
            counts = [
                (len(ids & matched) if len(ids) < len(matched) else len(matched & ids), value) for value, ids in sets.items()
            ]
            out[name] = [
                {"id": v, "label": labels.get(v, v), "count": n} for n, v in sorted(counts, key=lambda c: (-c[0], c[1])) if n
            ]
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
        return " ".join(replaced.get(c.text, c.text) if c.kind == "word" else c.text for c in concepts if not c.excluded) or None

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
        }


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def highlights(text: str, wanted: set[str]) -> list[list[int]]:
    """[start, end) character offsets of words in `text` whose stems were searched for."""
    return [[t.startchar, t.endchar] for t in STEMMED(text, chars=True, removestops=False) if t.text in wanted]


def _windows(lower: str, wanted: set[str], width: int) -> list[int]:
    """Where searched stems occur as text (most stems are word prefixes), so only a window is analysed."""
    found: list[int] = []
    for stem in wanted:
        at = lower.find(stem)
        while at >= 0 and len(found) < 200:
            found.append(at)
            at = lower.find(stem, at + len(stem))
    return sorted(found)


def snippet(text: str, wanted: set[str], width: int = SNIPPET_CHARS) -> dict[str, Any]:
    """A window of plain text around the densest cluster of matches, with offsets to highlight.

    Offsets (not HTML) so the browser inserts the text with textContent and marks ranges itself.
    Only the chosen window is run through the analyser: bodies can be long, a snippet is short."""
    lower = text.lower()
    places = _windows(lower, wanted, width)
    start = 0
    if places:
        best = max(places, key=lambda p: (sum(1 for s in wanted if s in lower[p : p + width]), -p))
        start = max(0, best - 40)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < best else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = text[start:end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return {
        "text": prefix + body + suffix,
        "highlights": [[a + len(prefix), b + len(prefix)] for a, b in highlights(body, wanted)],
    }


__all__ = ["SearchEngine", "highlights", "snippet", "stems"]
