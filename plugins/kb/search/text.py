"""What a person typed, turned into words, phrases and tag synonyms, with no search library involved.

People type in a hurry: stray quotes and operators, pasted noise, emoji. This module never
fails on any string; it keeps what looks like words, caps how much it keeps, and says what
it dropped, so the engine only ever sees a small, well-formed request.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 200  # longer input is cut here (the API refuses it before it gets this far)
MAX_CONCEPTS = 12  # words, phrases and synonyms kept from one query
MAX_PHRASE_WORDS = 8
MAX_SYNONYM_WORDS = 6

WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Concept:
    """One thing the searcher asked for: a word, a quoted phrase, or words that name a tag."""

    kind: str  # "word" | "phrase" | "synonym"
    words: tuple[str, ...]  # lower-cased, as typed
    tag: str | None = None  # for "synonym": the tag id the words name
    excluded: bool = False  # "-word": entries containing it are left out

    @property
    def text(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.kind == "phrase" else joined


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
    out: list[str] = []
    for match in WORD_RE.finditer(text.lower()):
        out.extend(w for w in re.split(r"['’\-]", match.group()) if w)
    return out


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


def parse(text: str, synonyms: SynonymMap | None = None) -> ParsedQuery:
    """Words, "phrases" and -exclusions; unbalanced quotes and stray operators are ignored, never an error."""
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
        _plain_words(piece, parsed, synonyms)
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


def _plain_words(piece: str, parsed: ParsedQuery, synonyms: SynonymMap | None) -> None:
    """Unquoted text: '-word' excludes; the rest become words, with tag synonyms grouped."""
    included: list[str] = []
    for token in piece.split():
        words = words_of(token)
        if not words:
            continue
        if token.startswith("-") and len(token) > 1 and included is not None:
            parsed.concepts.extend(Concept("word", (w,), excluded=True) for w in words)
            continue
        if token.upper() in ("AND", "OR", "NOT"):
            continue  # operators are not supported: every word is wanted, ranked by relevance
        included.extend(words)
    spans = synonyms.spans(included) if synonyms else []
    i = 0
    for start, end, tag in spans:
        parsed.concepts.extend(Concept("word", (w,)) for w in included[i:start])
        parsed.concepts.append(Concept("synonym", tuple(included[start:end]), tag=tag))
        i = end
    parsed.concepts.extend(Concept("word", (w,)) for w in included[i:])
