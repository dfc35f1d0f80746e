"""Short hashes of entries and of the catalogue's shape, kept with each entry so they are made once.

An entry's *shape* is everything other pages can show of it (reference, type, path, cleaned front
matter, outgoing links): not its body text. `kb serve` compares shapes to decide which pages a save
changed (speed/changes.py) and the search index compares whole entries (search/incremental.py).
"""

from __future__ import annotations

import hashlib

from kb.content.catalogue import Catalogue, Entry


class BuildConstant:
    """Mixed into a value made once per build from the catalogue and not changed after (a term's digest, which every
    learning summary of the term shows): the warm build's picture of each page's inputs (speed/changes.Inputs)
    works out such a value's picture once per build, not once for every page that shows it."""


def digest(*parts: object) -> str:
    """A 128-bit hash of the parts' repr: equal for equal plain data, in every process."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def entry_shape(entry: Entry) -> tuple[object, ...]:
    """Everything about an entry that other pages can show: not its body text."""
    return (entry.ref, entry.type, entry.path, sorted(entry.meta.items(), key=lambda kv: kv[0]), list(entry.links))


def shape_digest(entry: Entry) -> str:
    """Kept with the entry (Entry.memo): at 10,000 entries hashing every entry again cost about a second a save."""
    return entry.remembered("shape", lambda e: digest(entry_shape(e)))


def body_digest(entry: Entry) -> str:
    return entry.remembered("body", lambda e: digest(e.body))


def settings(catalogue: Catalogue) -> tuple[object, ...]:
    """What any page may show that belongs to no entry."""
    return (
        catalogue.members,
        catalogue.preview,
        catalogue.today,
        catalogue.site_url,
        catalogue.site_name,
        catalogue.search_api,
        sorted(catalogue.tags.items()),
        [repr(t) for t in catalogue.terms],
        sorted(catalogue.organisation_aliases.items()),
    )


def catalogue_shape(catalogue: Catalogue) -> str:
    """One hash over the settings and every entry's shape, in catalogue order (order is part of the shape: listings)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(settings(catalogue)).encode("utf-8", "surrogatepass"))
    for entry in catalogue.entries.values():
        h.update(shape_digest(entry).encode())
    return h.hexdigest()
