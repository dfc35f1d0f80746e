"""A parsed query turned into Whoosh query objects: what must match, what only raises an entry, and why.

Why it is shaped like this:
- Words that name a controlled value (a tag, a vocabulary value, a network, a phase, a type) find the
  entries carrying it whatever words those use, and raise them (TAG_BOOST, VOCAB_BOOST); expanded here,
  at query time, because Whoosh has no synonym filter.
- Soft filters: a network, phase or type word among other words ("reading year 3 primary") does not
  have to match. It raises the entries that carry it, which the engine lists first, and is shown as a
  chip the searcher can remove ("Showing Primary first — search everything"); nothing is dropped.
  On its own ("primary") it is wanted like any other word.
- Spelling (spelling.py's list): a word some entry has is never corrected, nor are the parts of a
  hyphenated word on their own; among the words within reach (one edit; two for words of seven letters
  or more whose stem no entry has; same first letter) the one in most entries wins, a word two edits
  away counting FAR_PENALTY times less than one a single edit away. Measured on 1,849 random one- and
  two-edit typos of the starter index's words of 7+ letters: the most common within two edits (penalty 1)
  corrects 74.4 % to the intended word, penalty 8 80.4 %, the nearest first 80.9 %; the judged queries
  (scripts/relevance) are the same with all three. Typos of uniformly drawn words favour the nearest;
  searchers type common words, so a much more common word two edits away still wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as Q

from kb.search.analysis import query_stems
from kb.search.spelling import Spelling
from kb.search.text import Concept

FIELD_BOOSTS = {"title": 4.0, "tagtext": 3.0, "summary": 2.0, "vocabtext": 1.0, "body": 1.0, "extra": 1.0, "vocabnotes": 0.1}
TAG_BOOST = 1.0  # an entry carrying the tag a word names
VOCAB_BOOST = 6.0  # an entry carrying the vocabulary value a word names ("meshed")
SOFT_BOOST = 2.0  # an entry carrying a soft filter's value (it is listed first as well)
SOFT_FIELDS = {"network": "networks", "phase": "phase", "type": "type"}
NEAR_FIELDS = {"title": 20.0, "summary": 20.0, "body": 20.0, "extra": 10.0}  # words near one another here raise an entry
NEAR_WINDOW = 5  # positions (stop words not counted): "training sessions for teaching assistants" is near
FAR_PENALTY = 8  # a correction two edits away must be in 8 times as many entries as one a single edit away to win


def stems(text: str) -> list[str]:
    return query_stems(text)


def any_field(terms: list[str], phrase: bool = False, skip: tuple[str, ...] = ()) -> Q.Query | None:
    """The words in any text field (but `skip`), each field weighted by how much a match there says."""
    if not terms:
        return None
    boosts = {f: b for f, b in FIELD_BOOSTS.items() if f not in skip}
    if phrase and len(terms) > 1:
        return Q.Or([Q.Phrase(f, terms, boost=b) for f, b in boosts.items()])
    return Q.And([Q.Or([Q.Term(f, t, boost=b) for f, b in boosts.items()]) for t in terms])


def one_of(words: list[str]) -> Q.Query:
    """Any of these (already stemmed) words in any text field."""
    return Q.Or([Q.Term(f, w, boost=b) for w in words for f, b in FIELD_BOOSTS.items()])


@dataclass
class Plan:
    clauses: list[Q.Query]  # every one must match
    excluded: list[Q.Query]
    highlight: set[str]  # stems to highlight in snippets
    corrections: dict[str, str]  # typed word -> word searched for instead
    optional: list[Q.Query] = field(default_factory=list)  # soft concepts: they add to the score, never required
    soft: list[dict[str, Any]] = field(default_factory=list)  # the soft filters, for the chips: facet, id, words, on
    card: str | None = None  # "vocab:value" of the first vocabulary value named (the "Did you know" card)
    near: list[set[str]] = field(default_factory=list)  # each required concept's words (stems), for nearness

    @property
    def active_soft(self) -> list[tuple[str, str]]:
        return [(s["facet"], s["id"]) for s in self.soft if s["on"]]

    def query(self) -> Q.Query:
        """Everything required, and the soft concepts as an optional part (AndMaybe)."""
        main: Q.Query = Q.And(self.clauses) if self.clauses else Q.NullQuery
        return Q.AndMaybe(main, Q.Or(self.optional)) if self.optional and self.clauses else main


class Planner:
    """Concepts to clauses for one open index (its reader, spelling list and names)."""

    def __init__(self, reader: Any, spelling: Spelling, labels: dict[str, dict[str, str]], cards: dict[str, Any]) -> None:
        self.reader, self.spelling, self.labels, self.cards = reader, spelling, labels, cards

    def known(self, word: str) -> bool:
        """Some entry has the word, or its stem."""
        if self.spelling.doc_frequency(word):
            return True
        return any(self.reader.doc_frequency(f, s) for s in stems(word) for f in FIELD_BOOSTS)

    def correct(self, word: str, maxdist: int = 2) -> str | None:
        """The indexed word to search for instead of a misspelt one (see the module's docstring)."""
        if len(word) < 4 or word.isdigit():
            return None
        near = set(self.spelling.within(word, 1, prefix=1))
        found = self.spelling.within(word, 2, prefix=1) if maxdist > 1 and len(word) >= 7 else near
        found = [w for w in found if w != word and len(w) > 2]
        return (
            max(found, key=lambda w: (self.spelling.doc_frequency(w) / (1 if w in near else FAR_PENALTY), w)) if found else None
        )

    def plan(self, concepts: list[Concept], literal: frozenset[str] = frozenset()) -> Plan:
        """`literal`: soft filters ("network:send") the searcher removed: their words are ordinary words."""
        plan = Plan([], [], set(), {})
        wanted = [c for c in concepts if not c.excluded]
        mixed = any(not c.soft for c in wanted)  # a soft word among other words only raises entries
        for c in concepts:
            if c.excluded:
                clause = any_field(stems(" ".join(c.words)))
                if clause is not None:
                    plan.excluded.append(clause)
                continue
            before = set(plan.highlight)
            clause = self.clause(c, plan, literal if mixed else frozenset(), soft=mixed and bool(c.soft))
            if clause is None:
                continue  # a stop word on its own ("the") adds nothing
            (plan.optional if mixed and c.soft else plan.clauses).append(clause)
            if not (mixed and c.soft) and c.kind != "phrase" and plan.highlight - before:
                plan.near.append(plan.highlight - before)
        return plan

    def clause(self, c: Concept, plan: Plan, literal: frozenset[str], soft: bool) -> Q.Query | None:
        text = " ".join(c.words)
        if c.kind == "form":
            plan.highlight.update(c.forms)
            return one_of(list(c.forms))
        if c.kind == "compound":
            return self._compound(c, plan)
        if c.kind == "synonym":
            return self._named(c, plan, literal, soft)
        terms = stems(text)
        if not terms:
            return None
        clause = any_field(terms, phrase=c.kind == "phrase")
        assert clause is not None  # `terms` is not empty
        plan.highlight.update(terms)
        if c.kind == "word" and not self.spelling.doc_frequency(c.words[0]):
            # Spelt as no entry spells it: if its stem is known ("attendence" -> attend) only a one-edit
            # neighbour is offered, so "mentored" is never "corrected" to "mentors".
            better = self.correct(c.words[0], 1 if self.known(c.words[0]) else 2)
            if better:
                plan.corrections[c.words[0]] = better
                plan.highlight.update(stems(better))
                return Q.Or([clause, one_of(stems(better))])
        return clause

    def _compound(self, c: Concept, plan: Plan) -> Q.Query | None:
        """Split ("co production", a phrase) or joined ("coproduction"); never corrected part by part."""
        joined = "".join(c.words)
        split = any_field(stems(" ".join(c.words)), phrase=True)
        joined_stems = stems(joined)
        plan.highlight.update(stems(" ".join(c.words)) + joined_stems)
        alternatives = [q for q in (split, one_of(joined_stems) if joined_stems else None) if q is not None]
        if not self.spelling.doc_frequency(joined) and not all(self.known(w) for w in c.words if stems(w)):
            better = self.correct(joined, 1 if self.known(joined) else 2)
            if better:
                plan.corrections[c.text] = better
                plan.highlight.update(stems(better))
                alternatives.append(one_of(stems(better)))
        return Q.Or(alternatives) if alternatives else None

    def _named(self, c: Concept, plan: Plan, literal: frozenset[str], soft: bool) -> Q.Query:
        """The entries carrying what the words name, or having the words (and the tag's own label)."""
        text = " ".join(c.words)
        alternatives: list[Q.Query | None] = []
        if c.tag:
            alternatives.append(Q.Term("tags", c.tag, boost=TAG_BOOST))
            label = self.labels.get("tag", {}).get(c.tag, "")
            if stems(label) != stems(text):
                alternatives.append(any_field(stems(label), phrase=True))  # the tag's own name ("youth violence")
        for kind, value in c.meanings:
            if kind == "vocab":
                alternatives.append(Q.Term("vocab", value, boost=VOCAB_BOOST))
                if plan.card is None and value in self.cards:
                    plan.card = value
            elif kind in SOFT_FIELDS:
                key = f"{kind}:{value}"
                on = soft and key not in literal
                if soft and all(s["key"] != key for s in plan.soft):
                    plan.soft.append({"facet": kind, "id": value, "key": key, "words": text, "on": on})
                if on or not soft:
                    alternatives.append(Q.Term(SOFT_FIELDS[kind], value, boost=SOFT_BOOST))
        alternatives.append(any_field(stems(text), phrase=True))  # the words as typed
        if len(c.words) > 1 and stems("".join(c.words)):
            alternatives.append(one_of(stems("".join(c.words))))  # "e-safety" written "esafety"
        plan.highlight.update(stems(text))
        return Q.Or([a for a in alternatives if a is not None])
