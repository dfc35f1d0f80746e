"""What a `kb serve` rebuild must redo after a save: pure change detection over two builds.

Why: MkDocs' dirty build skips a page only when its File says it is not modified, and every
generated File says it is. An entry page depends on its own body and on the catalogue's
"shape" (every entry's ref, cleaned front matter and outgoing links, the tag vocabulary,
terms, today, the site settings); listings, tag pages, backlinks, related entries and
feeds depend on the shape only. So: shape unchanged -> only the pages of entries whose body
changed are redone; shape changed -> everything is. Non-page generated files (feeds, CSV,
calendars, JSON) are compared by the hash of their content. The first build is always full.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable

from .catalogue import Catalogue, Entry


# The assumption all of this rests on: site.GENERATORS, FILE_GENERATORS and ENTRY_CONTEXT read entries' front
# matter and links, never their bodies; only an entry's own page (and the search index, handled apart) shows its
# body. test_incremental checks it on the starter site: a body-only edit changes no other output file.


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _entry_shape(entry: Entry) -> tuple:
    """Everything about an entry that other pages can show: not its body text."""
    return (entry.ref, entry.type, entry.path, sorted(entry.meta.items(), key=lambda kv: kv[0]), list(entry.links))


def _catalogue_shape(catalogue: Catalogue) -> str:
    h = hashlib.blake2b(digest_size=16)
    settings = (catalogue.members, catalogue.preview, catalogue.today, catalogue.site_url, catalogue.site_name,
                sorted(catalogue.tags.items()), [repr(t) for t in catalogue.terms])
    h.update(repr(settings).encode("utf-8", "surrogatepass"))
    for entry in catalogue.entries.values():  # newest first: order is part of the shape (listings)
        h.update(repr(_entry_shape(entry)).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def shape_fingerprint(catalogue: Catalogue, extra: Iterable[object] = ()) -> str:
    """One hash over the catalogue minus entry bodies (computed once per build), plus whatever the caller adds."""
    base = catalogue.derive("incremental_shape", _catalogue_shape)
    extra = list(extra)
    return _digest(base, extra) if extra else base


def body_fingerprints(catalogue: Catalogue) -> dict[str, str]:
    """src_uri of each entry page -> hash of its Markdown body (links already rewritten)."""
    return {e.src_uri: _digest(e.body) for e in catalogue.entries.values()}


def entry_fingerprints(catalogue: Catalogue) -> dict[str, str]:
    """ref -> hash of everything the entry holds (front matter, links, body): what its search document is made of."""
    return {e.ref: _digest(_entry_shape(e), e.body) for e in catalogue.entries.values()}


def index_context_fingerprint(catalogue: Catalogue) -> str:
    """What every search document borrows from other entries: tag labels, network titles; and the build's audience."""
    return _digest(catalogue.members, sorted(catalogue.tags.items()), sorted((s, e.title) for s, e in catalogue.networks.items()))


def index_changes(previous: dict[str, str], current: dict[str, str]) -> tuple[set[str], set[str]]:
    """(refs to (re)index, refs to remove) between two entry_fingerprints."""
    return {ref for ref, fp in current.items() if previous.get(ref) != fp}, set(previous) - set(current)


def content_fingerprint(content: str | bytes) -> str:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Snapshot:
    """What one build was made from; kept by the plugin until the next rebuild of the same serve session."""

    shape: str
    bodies: dict[str, str]  # entry page src_uri -> body hash
    files: dict[str, str] = field(default_factory=dict)  # generated non-page file path -> content hash


def changed_pages(previous: Snapshot | None, current: Snapshot) -> set[str] | None:
    """The entry pages to redo, or None when everything must be rebuilt (first build or a new shape)."""
    if previous is None or previous.shape != current.shape or previous.bodies.keys() != current.bodies.keys():
        return None
    return {uri for uri, body in current.bodies.items() if previous.bodies[uri] != body}


def changed_files(previous: Snapshot | None, current: Snapshot) -> set[str]:
    """Generated non-page files whose content differs from the last build (all of them the first time)."""
    old = previous.files if previous is not None else {}
    return {path for path, digest in current.files.items() if old.get(path) != digest}
