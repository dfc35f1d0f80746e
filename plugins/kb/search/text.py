"""What a person typed, turned into words, phrases, and the things the words name, with no search library involved.

People type in a hurry: stray quotes and operators, pasted noise, emoji. This module never
fails on any string; it keeps what looks like words, caps how much it keeps, and says what
it dropped, so the engine only ever sees a small, well-formed request.

Words that name something become one concept that says what they name (a `Names` map, made with
the index from the catalogue): a tag (its label, id or a synonym from tags.yml), a value of a
vocabulary ("hub network", "sense-making", "brokering partnerships"), a network ("SEND"), an
education phase ("primary") or a type of entry ("case study"). A hyphenated word is one
"compound" concept ("co-production"), and a year group or key stage ("Year 7", "Y7", "KS3") one
"form" concept with the canonical words of search/tokens.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.search.tokens import RANGE_WORDS, number_forms

MAX_QUERY_CHARS = 200  # longer input is cut here (the API refuses it before it gets this far)
MAX_CONCEPTS = 12  # words, phrases and synonyms kept from one query
MAX_PHRASE_WORDS = 8
MAX_SYNONYM_WORDS = 6

WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
SOFT_KINDS = ("network", "phase", "type")  # what a name may mean that the engine treats as a soft filter


@dataclass(frozen=True)
class Concept:
    """One thing the searcher asked for: a word, a quoted phrase, a hyphenated word, a year group,
    or words that name a tag or another controlled value."""

    kind: str  # "word" | "phrase" | "synonym" | "compound" | "form"
    words: tuple[str, ...]  # lower-cased, as typed (a hyphenated word's parts)
    tag: str | None = None  # for "synonym": the tag id the words name, if they name one
    excluded: bool = False  # "-word": entries containing it are left out
    meanings: tuple[
        tuple[str, str], ...
    ] = ()  # for "synonym": what else they name, e.g. ("vocab", "model:hub"), ("network", "send")
    forms: tuple[str, ...] = ()  # for "form": the canonical words, e.g. ("year7",)

    @property
    def text(self) -> str:
        joined = ("-" if self.kind == "compound" else " ").join(self.words)
        return f'"{joined}"' if self.kind == "phrase" else joined

    @property
    def soft(self) -> tuple[tuple[str, str], ...]:
        """The meanings that are soft filters (a network, phase or type named among other words)."""
        return tuple(m for m in self.meanings if m[0] in SOFT_KINDS)


@dataclass
class ParsedQuery:
    concepts: list[Concept] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # plain-language remarks on what was ignored

    @property
    def empty(self) -> bool:
        return not any(not c.excluded for c in self.concepts)


def clean(text: str) -> str:
    """Normalised text: NFKC, no control or symbol characters (emoji), single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "CSZ" and ch not in '"':
            kept.append(" ")
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def words_of(text: str) -> list[str]:
    """Lower-cased words (letters and digits, inner hyphens and apostrophes split off)."""
    return words_and_joins(text)[0]


def words_and_joins(text: str) -> tuple[list[str], list[bool]]:
    """words_of(text), and for each word whether a hyphen joined it to the word before."""
    out: list[str] = []
    hyphened: list[bool] = []
    for match in WORD_RE.finditer(text.lower()):
        pieces = re.split(r"(['’\-])", match.group())  # word, separator, word, ...
        for n in range(0, len(pieces), 2):
            out.append(pieces[n])
            hyphened.append(n > 0 and pieces[n - 1] == "-")
    return out, hyphened


class SynonymMap:
    """Phrases people type (tag labels, ids and synonyms from tags.yml) mapped to the tag they name."""

    def __init__(self, tags: dict[str, dict]):
        self.phrases: dict[tuple[str, ...], str] = {}
        for tag_id, spec in tags.items():
            for phrase in [tag_id.replace("-", " "), spec.get("label", "")] + list(spec.get("synonyms", [])):
                key = tuple(words_of(str(phrase)))
                if key and len(key) <= MAX_SYNONYM_WORDS:
                    self.phrases.setdefault(key, tag_id)
        self.longest = max((len(k) for k in self.phrases), default=0)

    def as_json(self) -> dict[str, str]:
        return {" ".join(k): v for k, v in self.phrases.items()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> SynonymMap:
        self = cls({})
        self.phrases = {tuple(k.split()): v for k, v in data.items()}
        self.longest = max((len(k) for k in self.phrases), default=0)
        return self

    def spans(self, words: list[str]) -> list[tuple[int, int, str]]:
        """Greedy longest matches: (start, end, tag id), non-overlapping, left to right."""
        found, i = [], 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                tag = self.phrases.get(tuple(words[i : i + n]))
                if tag:
                    found.append((i, i + n, tag))
                    i += n
                    break
            else:
                i += 1
        return found


Meaning = tuple[str, str]  # (kind, id): ("tag", "attendance"), ("vocab", "model:hub"), ("network", "send"), ...


class Names:
    """Phrases people type mapped to everything they name: tags (from a SynonymMap) and other controlled
    values (vocabulary values, networks, phases, types), longest phrase first when they overlap."""

    def __init__(self, synonyms: SynonymMap | None = None, others: dict[tuple[str, ...], list[Meaning]] | None = None):
        self.meanings: dict[tuple[str, ...], tuple[Meaning, ...]] = {}
        for phrase, tag in synonyms.phrases.items() if synonyms else ():
            self.meanings[phrase] = (("tag", tag),)
        for phrase, found in (others or {}).items():
            if phrase and len(phrase) <= MAX_SYNONYM_WORDS:
                known = self.meanings.get(phrase, ())
                self.meanings[phrase] = known + tuple(m for m in found if m not in known)
        self.longest = max((len(k) for k in self.meanings), default=0)

    def as_json(self) -> dict[str, list[list[str]]]:
        return {" ".join(k): [list(m) for m in v] for k, v in self.meanings.items()}

    @classmethod
    def from_json(cls, data: dict[str, list[list[str]]]) -> Names:
        self = cls()
        self.meanings = {tuple(k.split()): tuple((m[0], m[1]) for m in v) for k, v in data.items()}
        self.longest = max((len(k) for k in self.meanings), default=0)
        return self

    def spans(self, words: list[str]) -> list[tuple[int, int, tuple[Meaning, ...]]]:
        """Greedy longest matches: (start, end, meanings), non-overlapping, left to right."""
        found, i = [], 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                meanings = self.meanings.get(tuple(words[i : i + n]))
                if meanings:
                    found.append((i, i + n, meanings))
                    i += n
                    break
            else:
                i += 1
        return found


def named(words: tuple[str, ...], meanings: tuple[Meaning, ...]) -> Concept:
    """The concept for words that name things: a "synonym" naming its tag (if any) and its other meanings."""
    tag = next((m[1] for m in meanings if m[0] == "tag"), None)
    return Concept("synonym", words, tag=tag, meanings=tuple(m for m in meanings if m[0] != "tag"))


def parse(text: str, synonyms: SynonymMap | Names | None = None) -> ParsedQuery:
    """Words, "phrases" and -exclusions, and what the words name (tags alone when given a SynonymMap);
    unbalanced quotes and stray operators are ignored, never an error."""
    names = Names(synonyms) if isinstance(synonyms, SynonymMap) else synonyms
    parsed = ParsedQuery()
    raw = text or ""
    if len(raw) > MAX_QUERY_CHARS:
        parsed.notes.append(f"Only the first {MAX_QUERY_CHARS} characters were used.")
        raw = raw[:MAX_QUERY_CHARS]
    cleaned = clean(raw)
    if cleaned.count('"') % 2:
        cleaned = cleaned[::-1].replace('"', "", 1)[::-1]  # drop the unmatched last quote
    pieces = cleaned.split('"')
    for index, piece in enumerate(pieces):
        if index % 2:  # inside quotes
            words = words_of(piece)[:MAX_PHRASE_WORDS]
            if len(words) > 1:
                parsed.concepts.append(Concept("phrase", tuple(words)))
            elif words:
                parsed.concepts.append(Concept("word", tuple(words)))
            continue
        _plain_words(piece, parsed, names)
    if len(parsed.concepts) > MAX_CONCEPTS:
        parsed.notes.append(f"Only the first {MAX_CONCEPTS} words were used.")
        parsed.concepts = parsed.concepts[:MAX_CONCEPTS]
    seen, unique = set(), []
    for c in parsed.concepts:
        if (c.kind, c.words, c.excluded) not in seen:
            seen.add((c.kind, c.words, c.excluded))
            unique.append(c)
    parsed.concepts = unique
    return parsed


def _plain_words(piece: str, parsed: ParsedQuery, names: Names | None) -> None:
    """Unquoted text: '-word' excludes; of the rest, words that name something, year groups and
    hyphenated words are one concept each, in the order typed."""
    included: list[str] = []
    hyphened: list[bool] = []
    operators: set[int] = set()
    for token in piece.split():
        words, joins = words_and_joins(token)
        if not words:
            continue
        if token.startswith("-") and len(token) > 1:
            parsed.concepts.extend(Concept("word", (w,), excluded=True) for w in words)
            continue
        if token.upper() in ("AND", "OR", "NOT"):
            operators.add(len(included))  # not supported: every word is wanted; kept only inside a name ("speech and language")
        included.extend(words)
        hyphened.extend(joins)
    concepts: dict[int, Concept] = {}  # first word -> its concept
    taken = [False] * len(included)
    for start, end, meanings in names.spans(included) if names else []:
        concepts[start] = named(tuple(included[start:end]), meanings)
        taken[start:end] = [True] * (end - start)
    for first, last, canonical in _form_groups(included, hyphened):
        if not any(taken[first : last + 1]):
            concepts[first] = Concept("form", tuple(included[first : last + 1]), forms=canonical)
            taken[first : last + 1] = [True] * (last + 1 - first)
    i = 0
    while i < len(included):
        end = i + 1
        while end < len(included) and hyphened[end] and not taken[end]:
            end += 1
        if not taken[i] and end - i > 1 and not all(w.isdigit() for w in included[i:end]):
            concepts[i] = Concept("compound", tuple(included[i:end]))
        elif not taken[i] and i not in operators:
            concepts[i] = Concept("word", (included[i],))
            end = i + 1
        else:
            end = i + 1
        i = max(end, i + 1)
    parsed.concepts.extend(concepts[k] for k in sorted(concepts))


def _form_groups(words: list[str], hyphened: list[bool]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Year groups and key stages as the searcher means them: "Years 7 and 8" is one concept finding
    either year, and "Year 7" asks for Year 7 only (the index adds its key stage; a query does not)."""
    groups: list[tuple[int, int, list[str]]] = []
    for first, last, canonical in number_forms(words, hyphened):
        between = words[groups[-1][1] + 1 : first] if groups else []
        if groups and words[first].isdigit() and first <= groups[-1][1] + 2 and all(w in RANGE_WORDS for w in between):
            groups[-1] = (groups[-1][0], max(last, groups[-1][1]), groups[-1][2] + canonical)
        else:
            groups.append((first, last, list(canonical)))
    out = []
    for first, last, canonical in groups:
        years = [w for w in canonical if w.startswith("year")]
        out.append((first, last, tuple(dict.fromkeys(years or canonical))))
    return out
