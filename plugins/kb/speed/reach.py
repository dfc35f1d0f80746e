"""Which entry pages a change to the catalogue's shape can reach: the only entry pages worth comparing.

Why: after a front-matter edit, comparing what every one of 10,000 entry pages shows (its template
context, speed/changes.py) took about 6 s, while the edit reaches a few dozen pages. An entry page
shows, of other entries, only: the entries in its related list, the entries that link to it, its
networks' titles, and, for minutes, the same network's meetings; network hubs and learning summaries
show whole networks and terms. So, for each entry whose shape changed (or that came or went):

- its own page, the pages it links to and the pages that link to it, before and after (backlinks,
  a summary's sources);
- the pages whose last related list named it (speed/changes.py compares what they show now);
- if it moved in the catalogue's order or changed its tags, networks or key terms, every page of an
  entry sharing a tag, network or key term with it, before or after: related lists are drawn from
  those entries, ranked by that order (an entry that neither moved nor changed its groups leaves every
  other entry's candidates and their order as they were). Key terms (site/related.py) are weighed
  against the whole catalogue, so an edit or a new entry can change the key terms of entries it never
  names: each such entry counts as changed;
- if it is minutes or a network, every page of its networks (meeting sequences, network titles);
- every network hub and learning summary (they show whole networks and term digests).

tests/speed/test_warm_build.py holds this against cold builds, edit after edit (and tests/test_leaks.py for entries hidden since the last build).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kb.content.catalogue import Catalogue
from kb.content.fingerprints import shape_digest
from kb.site.related import key_terms

ALWAYS = ("network", "learning-summary")  # types whose pages show whole networks and terms


@dataclass(frozen=True)
class EntryFacts:
    """What one entry gives other entries' pages."""

    shape: str
    type: str
    groups: tuple[str, ...]  # "tag:<id>" and "network:<id>"
    links: tuple[str, ...]


@dataclass
class Reach:
    """What the last build leaves for the next one to decide with."""

    facts: dict[str, EntryFacts] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the catalogue's order
    related: dict[str, list[str]] = field(default_factory=dict)  # ref -> the related refs its page shows


def entry_facts(catalogue: Catalogue) -> dict[str, EntryFacts]:
    """Made once per catalogue (deciding what an edit reaches, then keeping the facts for the next build, both ask)."""

    def facts(cat: Catalogue) -> dict[str, EntryFacts]:
        terms = cat.derive("related_terms", key_terms).of
        return {
            ref: EntryFacts(
                shape_digest(e),
                e.type,
                tuple(f"tag:{t}" for t in e.tags)
                + tuple(f"network:{n}" for n in e.networks)
                + tuple(f"term:{t}" for t in terms.get(ref, ())),
                tuple(e.links),
            )
            for ref, e in cat.entries.items()
        }

    return catalogue.derive("reach.facts", facts)


def reach_of(catalogue: Catalogue, related: dict[str, list[str]]) -> Reach:
    return Reach(entry_facts(catalogue), list(catalogue.entries), related)


def _moved(before: list[str], after: list[str], changed: set[str]) -> set[str]:
    """Changed entries whose place among the others is not what it was (how many unchanged ones precede them,
    and their order among themselves)."""

    def places(order: list[str]) -> tuple[dict[str, int], list[str]]:
        stable, seen, sequence = 0, {}, []
        for ref in order:
            if ref in changed:
                seen[ref] = stable
                sequence.append(ref)
            else:
                stable += 1
        return seen, sequence

    old, old_sequence = places(before)
    new, new_sequence = places(after)
    both = old.keys() & new.keys()
    if [r for r in old_sequence if r in both] != [r for r in new_sequence if r in both]:
        return set(changed)
    return {ref for ref in changed if old.get(ref) != new.get(ref)}


def reached(previous: Reach, catalogue: Catalogue) -> set[str]:
    """Refs of the entry pages this catalogue's changes since `previous` can reach (see the module's docstring)."""
    old, new = previous.facts, entry_facts(catalogue)
    changed = {ref for ref in old.keys() | new.keys() if old.get(ref) != new.get(ref)}
    if not changed:
        return set()
    members: dict[str, list[str]] = {f"tag:{t}": refs for t, refs in catalogue.by_tag.items()}
    members.update({f"network:{n}": refs for n, refs in catalogue.by_network.items()})
    members.update({f"term:{t}": refs for t, refs in catalogue.derive("related_terms", key_terms).postings.items()})
    members.update(
        {
            f"network:{e.slug}": [*members.get(f"network:{e.slug}", []), ref]
            for ref, e in catalogue.entries.items()
            if e.type == "network"
        }
    )
    old_backlinks: dict[str, set[str]] = defaultdict(set)
    for ref, facts in old.items():
        for target in facts.links:
            old_backlinks[target].add(ref)
    moved = _moved(previous.order, list(catalogue.entries), changed)
    pages = set(changed)
    for ref in changed:
        before, after = old.get(ref), new.get(ref)
        kept = [f for f in (before, after) if f is not None]
        groups = {g for f in kept for g in f.groups}
        regrouped = before is None or after is None or before.groups != after.groups
        for group in groups:
            if ref in moved or regrouped or (group.startswith("network:") and {f.type for f in kept} & {"minutes", "network"}):
                pages.update(members.get(group, ()))
        for f in kept:
            pages.update(f.links)
        pages.update(old_backlinks.get(ref, ()))
        pages.update(catalogue.backlinks.get(ref, ()))
    pages.update(ref for ref, shown in previous.related.items() if not changed.isdisjoint(shown))
    pages.update(ref for ref, e in catalogue.entries.items() if e.type in ALWAYS)
    return pages & catalogue.entries.keys()
