"""What a `kb serve` rebuild must redo after a save: pure change detection over two builds.

Why: MkDocs' dirty build skips a page only when its File says it is not modified, and every
generated File says it is. An entry page depends on its own body and on the catalogue's
"shape" (every entry's ref, cleaned front matter and outgoing links); listings, tag pages,
backlinks, related entries and feeds depend on the shape only; every page depends on the
settings (tag vocabulary, terms, today, audience, site configuration, the navigation).
So: settings changed -> everything is redone; shape unchanged -> only the pages of entries
whose body changed; shape changed (a front-matter edit) -> the pages whose inputs changed:
for an entry page, a hash of its template context (other entries by their shape), for a
generated page the hash of its rendered content. Non-page generated files (feeds, CSV,
calendars, JSON) are compared by the hash of their content. The first build is always full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kb.content.catalogue import Catalogue, Entry
from kb.content.fingerprints import BuildConstant, body_digest, catalogue_shape, digest, settings, shape_digest
from kb.content.urls import network_ref
from kb.pages.page import VirtualPage
from kb.site.backlinks import cited_sentences
from kb.site.plan import entry_context

# The assumption all of this rests on: site/plan.py's GENERATORS, FILE_GENERATORS and ENTRY_CONTEXT read entries' front
# matter and links, never their bodies; only an entry's own page (and the search index, handled apart) shows its
# body. tests/speed/test_rebuilds.py checks it on the starter site: a body-only edit changes no other output file.
# The one exception, the sentence a link sits in (shown under "Referenced by" on the cited page), is part of the shape.


def settings_fingerprint(catalogue: Catalogue, pages: dict[str, VirtualPage], extra: Iterable[object] = ()) -> str:
    """The settings, the navigation's generated pages and whatever the caller adds (configuration, hand-written pages)."""
    nav = sorted((uri, p.title) for uri, p in pages.items() if p.meta.get("nav") is True)
    return digest(settings(catalogue), nav, list(extra))


def shape_fingerprint(catalogue: Catalogue, extra: Iterable[object] = ()) -> str:
    """One hash over the catalogue minus entry bodies (computed once per build), plus whatever the caller adds."""
    base = catalogue.derive("incremental_shape", lambda cat: digest(catalogue_shape(cat), cited_sentences(cat)))
    extra = list(extra)
    return digest(base, extra) if extra else base


def snapshot_of(
    files: Iterable[Any], catalogue: Catalogue, pages: dict[str, VirtualPage], extra: object, stamp: Callable[[str], object]
) -> Snapshot:
    """What this build's pages are made from: the catalogue's shape and bodies, the settings, and each hand-written
    page by `stamp` of its file (kb serve: its time; the build cache, across processes: its digest)."""
    hand_written = sorted(
        (f.src_uri, stamp(f.abs_src_path))
        for f in files
        if f.is_documentation_page() and f.generated_by is None and f.abs_src_path
    )
    return Snapshot(
        shape_fingerprint(catalogue),
        body_fingerprints(catalogue),
        settings=settings_fingerprint(catalogue, pages, (extra, hand_written)),
    )


def body_fingerprints(catalogue: Catalogue) -> dict[str, str]:
    """src_uri of each entry page -> hash of its Markdown body (links already rewritten)."""
    return {e.src_uri: body_digest(e) for e in catalogue.entries.values()}


def content_fingerprint(content: str | bytes) -> str:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Inputs:
    """A short, comparable picture of template inputs: entries by the hash of their shape, containers and
    objects by their contents, functions and the catalogue by name only (what templates read of the
    catalogue itself is in the settings, or added by page_fingerprints). Each object is pictured once."""

    def __init__(self, constants: dict[int, tuple[object, object]] | None = None) -> None:
        self.seen: dict[int, str] = {}
        self.alive: list[object] = []  # keeps pictured objects alive, so no id is reused during one comparison
        # BuildConstant values pictured before, by id, each kept alive with its picture: shared by the pictures of a build
        self.constants = constants if constants is not None else {}

    def __call__(self, value: object) -> object:
        if value is None or isinstance(value, (str, int, float, dt.date)):
            return value
        key = id(value)
        if key in self.seen:
            return self.seen[key]
        if isinstance(value, BuildConstant):
            known = self.constants.get(key)
            if known is None:
                known = self.constants[key] = (value, self._picture(value))
            return known[1]
        return self._picture(value)

    def _picture(self, value: object) -> object:
        key = id(value)
        self.alive.append(value)
        self.seen[key] = "cycle"  # an object met again inside itself
        if isinstance(value, Entry):
            picture = shape_digest(value)
        elif isinstance(value, Catalogue) or callable(value):
            picture = type(value).__name__
        elif isinstance(value, dict):
            picture = digest([(repr(k), self(v)) for k, v in value.items()])
        elif isinstance(value, (list, tuple)):
            picture = digest([self(v) for v in value])
        elif isinstance(value, (set, frozenset)):
            picture = digest(sorted(repr(self(v)) for v in value))
        elif hasattr(value, "__dict__"):
            picture = digest(type(value).__name__, self(vars(value)))
        else:
            picture = repr(value)
        self.seen[key] = picture
        return picture


@dataclass
class PageInputs:
    """page_fingerprints' results: the hashes, and what was made on the way, for the render to reuse."""

    prints: dict[str, str]  # page src_uri -> hash of everything it shows but an entry's own body
    html: dict[str, str]  # generated page src_uri -> its rendered content
    contexts: dict[str, dict]  # entry page src_uri -> its template context


def entry_print(head: tuple, context: dict, entry: Entry, catalogue: Catalogue, picture: Inputs) -> str:
    """The hash of what an entry page shows but its own body: its template context (entry_context) plus what the entry
    templates read from the catalogue (backlinks, network titles)."""
    shown = [catalogue.entries.get(ref) for ref in catalogue.backlinks.get(entry.ref, [])]
    shown += [catalogue.entries.get(network_ref(n)) for n in entry.networks]
    own = context.get("meta") is entry.meta  # the entry's own front matter: in its shape, pictured with it (a fifth of the cost)
    return digest(head, picture({k: v for k, v in context.items() if k != "cat" and not (own and k == "meta")}), picture(shown))


def shown_print(head: tuple, shows: Callable[[], object], picture: Inputs) -> str:
    """The hash of a generated page that says what it shows (VirtualPage.shows): its inputs, not its rendering."""
    return digest(head, "shows", picture(shows()))


def page_head(page: VirtualPage, url: str, picture: Inputs) -> tuple:
    return (page.title, page.description, picture(page.meta), url)


def page_fingerprints(
    pages: dict[str, VirtualPage], urls: dict[str, str], catalogue: Catalogue, only: set[str] | None = None
) -> PageInputs:
    """Hash what every generated page (or only these src_uris) shows. Entry pages: entry_print; pages that say what
    they show (listings): shown_print; other generated pages: their rendered content, which is kept for the build."""
    picture, result = Inputs(), PageInputs({}, {}, {})
    for uri, page in pages.items():
        if only is not None and uri not in only:
            continue
        url = urls.get(uri, "")
        head = page_head(page, url, picture)
        entry = page.entry
        if entry is not None:
            context = result.contexts[uri] = entry_context(entry, catalogue)
            result.prints[uri] = entry_print(head, context, entry, catalogue, picture)
        elif page.shows is not None:
            result.prints[uri] = shown_print(head, page.shows, picture)
        elif page.render_html is not None:
            html = result.html[uri] = page.render_html(url)
            result.prints[uri] = digest(head, html)
        else:
            result.prints[uri] = digest(head)
    return result


@dataclass
class Snapshot:
    """What one build was made from; kept by the plugin until the next rebuild of the same serve session."""

    shape: str
    bodies: dict[str, str]  # entry page src_uri -> body hash
    files: dict[str, str] = field(default_factory=dict)  # generated non-page file path -> content hash
    settings: str = ""  # settings_fingerprint: when it changes, every page is redone
    pages: dict[str, str] | None = None  # PageInputs.prints, made when the shape changed (or the first time)


def changed_pages(previous: Snapshot | None, current: Snapshot) -> set[str] | None:
    """The generated pages to redo, or None when everything must be rebuilt (first build, new settings, or a
    new shape with no page fingerprints to compare)."""
    if previous is None or previous.settings != current.settings:
        return None
    bodies = {uri for uri, body in current.bodies.items() if previous.bodies.get(uri) != body}
    if previous.shape == current.shape and previous.bodies.keys() == current.bodies.keys():
        return bodies
    if previous.pages is None or current.pages is None:
        return None
    return bodies | {uri for uri, fp in current.pages.items() if previous.pages.get(uri) != fp}


def changed_files(previous: Snapshot | None, current: Snapshot) -> set[str]:
    """Generated non-page files whose content differs from the last build (all of them the first time)."""
    old = previous.files if previous is not None else {}
    return {path for path, fp in current.files.items() if old.get(path) != fp}
