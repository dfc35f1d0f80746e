"""Facets of entries (network, tag, phase, approach, brokerage role, year) and their counts.

Pure functions over entries and the catalogue: the listing pages show the counts, the
compact rows file lets the browser filter without the build knowing which filters exist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kb.content.catalogue import Catalogue, Entry
from kb.content.model import VOCABULARIES
from kb.content.urls import network_ref

# Query-string key -> what readers see. Order is the order of the filter controls.
FACETS: dict[str, str] = {
    "network": "Network",
    "tag": "Tag",
    "phase": "Phase",
    "approach": "Approach",
    "brokerage": "Brokerage role",
    "year": "Year",
}


def facet_values(entry: Entry) -> dict[str, list[str]]:
    """The values an entry has for each facet (empty lists where it has none)."""
    meta = entry.meta
    approach = meta.get("approach")
    return {
        "network": list(entry.networks) if entry.type != "network" else [],
        "tag": list(entry.tags),
        "phase": list(meta.get("phases", [])),
        "approach": [approach] if approach else [],
        "brokerage": list(meta.get("brokerage", [])),
        "year": [str(entry.date.year)] if entry.date else [],
    }


def matches(values: dict[str, list[str]], selected: dict[str, str]) -> bool:
    """Whether an entry with these facet values passes every selected filter (AND across facets)."""
    return all(value in values.get(facet, ()) for facet, value in selected.items() if value)


def facet_counts(entries: Iterable[Entry], selected: dict[str, str] | None = None) -> dict[str, Counter]:
    """For each facet, how many entries have each value among those passing the *other* filters.

    Counting against the other filters (not all of them) is what lets a reader see how many
    results switching a filter would give, the way the browser recomputes it.
    """
    selected = {k: v for k, v in (selected or {}).items() if v}
    counts: dict[str, Counter] = {facet: Counter() for facet in FACETS}
    for entry in entries:
        values = facet_values(entry)
        for facet in FACETS:
            others = {k: v for k, v in selected.items() if k != facet}
            if matches(values, others):
                counts[facet].update(dict.fromkeys(values[facet], 1))
    return counts


def option_label(cat: Catalogue, facet: str, value: str) -> str:
    """What a reader sees for a facet value: network and tag names, vocabulary words."""
    if facet == "network":
        network = cat.entries.get(network_ref(value))
        return network.title if network else value
    if facet == "tag":
        return cat.tags.get(value, {}).get("label", value)
    if facet == "year":
        return value
    return value.replace("-", " ").capitalize()


def facet_options(cat: Catalogue, counts: dict[str, Counter]) -> list[dict]:
    """The filter controls of a listing: each facet with its values, labels and counts.

    Vocabulary facets keep the vocabulary's order, years run newest first, names alphabetically;
    facets with no values in this listing are left out.
    """
    vocab_of = {"phase": "phases", "approach": "approach", "brokerage": "brokerage"}
    out = []
    for facet, label in FACETS.items():
        counter = counts.get(facet, Counter())
        if not counter:
            continue
        if facet in vocab_of:
            order = [v for v in VOCABULARIES[vocab_of[facet]] if v in counter]
        elif facet == "year":
            order = sorted(counter, reverse=True)
        else:
            order = sorted(counter, key=lambda v: option_label(cat, facet, v).lower())
        out.append(
            {
                "key": facet,
                "label": label,
                "options": [{"value": v, "label": option_label(cat, facet, v), "count": counter[v]} for v in order],
            }
        )
    return out


def listing_rows(entries: Iterable[Entry]) -> list[list]:
    """Compact rows for the browser's filter: [url, title, date, type, summary, facet values...].

    Lists rather than dicts keep the file small at 10,000 entries; the column order is
    ROW_COLUMNS, which the script reads from the file itself.
    """
    rows = []
    for entry in entries:
        values = facet_values(entry)
        rows.append(
            [entry.url, entry.title, entry.date.isoformat() if entry.date else "", entry.type, entry.summary]
            + [values[f] for f in FACETS]
            + [entry.draft_label]  # "" but in kb serve's preview
        )
    return rows


ROW_COLUMNS = ["url", "title", "date", "type", "summary", *FACETS, "draft"]
