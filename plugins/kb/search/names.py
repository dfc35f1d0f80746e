"""The controlled values an entry carries, as search fields, and the words people use to name them.

Why: a vocabulary word ("meshed", "sense-making", "brokering partnerships") found prose that mentioned
it, not the networks and entries that carry that value. So each entry's values are indexed as fields
(the `vocab` keywords, their labels in `vocabtext`, what they mean in `vocabnotes`), the facets get
their own fields (phase, approach, brokerage, year), and the index's manifest holds the phrases that
name each value (labels, ids, "hub network", "brokering partnerships", network names, phase and type
words) with the About section that explains a vocabulary value (the "Did you know" card).
Everything here comes from the catalogue given, so a public index names nothing that is not public.
"""

from __future__ import annotations

import re

from kb.content.catalogue import Catalogue, Entry
from kb.content.model import ENTRY_TYPES, VOCABULARIES
from kb.content.vocabulary import Meaning, fallback_label
from kb.search.text import MAX_SYNONYM_WORDS, words_of

SEARCHED_VOCABULARIES = ("model", "stage", "functions", "approach", "brokerage", "phases")
# Words people put after (or before) a value's name: "hub network", "connecting stage", "directing approach".
KIND_WORDS = {
    "model": ("{} network", "{} networks", "{} model"),
    "stage": ("{} stage", "{} networks"),
    "functions": ("{} function",),
    "approach": ("{} approach",),
    "brokerage": ("{} brokerage", "{} broker", "brokering {}"),
    "phases": ("{} phase", "{} school", "{} schools", "{} settings"),
}
NOT_NAMES = frozenset({("he",), ("all",), ("through",)})  # ids that are everyday words ("he": higher education)
_PARENTHESES = re.compile(r"\([^)]*\)")


def meaning_of(catalogue: Catalogue, vocabulary: str, value: str) -> Meaning:
    """What a value means (its About section), or a label made from its id when there is none."""
    known = catalogue.vocabulary.get(vocabulary, {}).get(value)
    return known or Meaning(vocabulary, value, fallback_label(value), "", fallback_label(vocabulary), "")


def entry_values(entry: Entry) -> list[tuple[str, str]]:
    """(vocabulary, value) for every controlled value the entry itself carries."""
    out = []
    for name in SEARCHED_VOCABULARIES:
        value = entry.meta.get(name)
        for v in value if isinstance(value, list) else [value] if isinstance(value, str) else []:
            out.append((name, v))
    return out


def phases_of(entry: Entry, catalogue: Catalogue) -> list[str]:
    """The entry's own phases, or else its networks' (minutes, research and summaries have none of their own)."""
    own = entry.meta.get("phases")
    if own:
        return list(own)
    networks = catalogue.networks
    return list(dict.fromkeys(p for n in entry.networks if n in networks for p in networks[n].meta.get("phases", [])))


def vocabulary_fields(entry: Entry, catalogue: Catalogue) -> dict[str, str]:
    """The search document's fields for the entry's controlled values and its facets."""
    values = entry_values(entry)
    meanings = [meaning_of(catalogue, name, value) for name, value in values]
    tag_notes = [catalogue.tags.get(t, {}).get("description", "") for t in entry.tags]
    found = {
        "vocab": ",".join(f"{name}:{value}" for name, value in values),
        "vocabtext": " ".join(m.label for m in meanings),
        "vocabnotes": " ".join([m.text for m in meanings] + tag_notes),
        "phase": ",".join(phases_of(entry, catalogue)),
        "approach": entry.meta.get("approach") or "",
        "brokerage": ",".join(entry.meta.get("brokerage") or []),
        "year": str(entry.date.year) if entry.date else "",
    }
    return {name: value for name, value in found.items() if value}  # an empty ID would be indexed as a value


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(words_of(text))


def name_phrases(catalogue: Catalogue) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """Typed phrase -> what it names, besides tags: ("vocab", "model:hub"), ("network", slug),
    ("phase", id), ("type", name). Tags' own phrases come from text.SynonymMap."""
    found: dict[tuple[str, ...], list[tuple[str, str]]] = {}

    def add(text: str, meaning: tuple[str, str]) -> None:
        phrase = _phrase(text)
        if phrase and len(phrase) <= MAX_SYNONYM_WORDS and phrase not in NOT_NAMES and meaning not in found.get(phrase, []):
            found.setdefault(phrase, []).append(meaning)

    for name in SEARCHED_VOCABULARIES:
        for value in VOCABULARIES[name]:
            meanings = [("vocab", f"{name}:{value}")] + ([("phase", value)] if name == "phases" else [])
            label = meaning_of(catalogue, name, value).label
            for base in dict.fromkeys([value.replace("-", " "), label]):
                for meaning in meanings:
                    add(base, meaning)
                    for pattern in KIND_WORDS[name]:
                        add(pattern.format(base), meaning)
    for slug, network in catalogue.networks.items():
        short = _PARENTHESES.sub("", network.title).strip()
        short = re.sub(r"\s+network$", "", short, flags=re.IGNORECASE)
        for text in (slug.replace("-", " "), short, network.title, f"{short} network", f"{slug.replace('-', ' ')} network"):
            add(text, ("network", slug))
    for type_name, entry_type in ENTRY_TYPES.items():
        if type_name != "network":
            for text in (entry_type.label, entry_type.plural):
                add(text, ("type", type_name))
    return found


def cards(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    """ "vocab:value" -> the About section that explains it, for the "Did you know" card."""
    out = {}
    for name in SEARCHED_VOCABULARIES:
        for value in VOCABULARIES[name]:
            meaning = meaning_of(catalogue, name, value)
            if meaning.text:
                out[f"{name}:{value}"] = {
                    "label": meaning.label,
                    "about": meaning.page_title,
                    "text": meaning.text,
                    "url": meaning.url,
                }
    return out


def labels(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    """The names shown beside the new facets' counts."""
    return {
        "phase": {v: meaning_of(catalogue, "phases", v).label for v in VOCABULARIES["phases"]},
        "approach": {v: meaning_of(catalogue, "approach", v).label for v in VOCABULARIES["approach"]},
        "brokerage": {v: meaning_of(catalogue, "brokerage", v).label for v in VOCABULARIES["brokerage"]},
    }
