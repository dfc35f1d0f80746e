"""`kb serve` rebuilds only what a save changed: the MkDocs side of changes.py.

MkDocs' dirty build (serve with build_type="dirty") skips a page or a static file when
`File.is_modified()` is False, and leaves earlier output in the site folder. This class, kept
on the plugin instance for the whole serve session (MkDocs keeps plugins that have
on_startup), decides is_modified for every file from changes.changed_pages, keeps the
titles of skipped pages for the navigation, and deletes output of pages that no longer exist.
`kb build` never uses it.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.structure.files import Files

from kb.content.catalogue import Catalogue
from kb.pages.page import VirtualPage
from kb.speed.changes import (
    PageInputs,
    Snapshot,
    changed_files,
    changed_pages,
    content_fingerprint,
    page_fingerprints,
    shape_fingerprint,
    snapshot_of,
)
from kb.speed.mkdocs_internals import set_modified
from kb.speed.reach import Reach, reach_of, reached

if TYPE_CHECKING:
    from kb.search.incremental import IndexState

log = logging.getLogger("mkdocs.plugins.kb")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept between rebuilds: MkDocs makes a new Jinja environment per build,
    and compiling Material's templates again cost about 0.5 s a save. Jinja checks each template's
    source checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def settle_memory(delay_s: float = 0.5) -> threading.Timer:
    """Once the first build is done, collect its garbage and freeze what survives (gc.freeze).

    Why: at 10,000 entries about 700,000 objects are tracked, and a full garbage collection
    (0.6-1.5 s) fell inside almost every rebuild. The catalogue and caches live for the whole
    session, so after one collection, made while the contributor reads the first page, later
    collections walk only what rebuilds make. Frozen objects are still freed by reference
    counting; at most what the first build left in cycles stays, once. Half a second: after
    MkDocs has dropped the build's pages, before a person can have edited anything."""

    def collect_and_freeze() -> None:
        gc.collect()
        gc.freeze()

    timer = threading.Timer(delay_s, collect_and_freeze)
    timer.daemon = True
    timer.start()
    return timer


class IncrementalServe:
    """State between the rebuilds of one serve session."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.titles: dict[str, str] = {}  # src_uri -> title of each page in the navigation, last build
        self.outputs: set[str] = set()  # every file the last build wrote or kept
        self.skipped: set[str] = set()  # src_uris of pages not rebuilt this time
        self.last_rebuilt: set[str] | None = None  # for tests and logs: pages redone (None = all)
        self.nav = None  # this build's navigation and files, from on_nav to on_post_build
        self.files: Files | None = None
        self.index_state: IndexState | None = None  # of the search API's index
        self.last_index: str | None = None  # for tests and logs: "full", "unchanged" or "N updated"
        self.bytecode_cache: jinja2.BytecodeCache = MemoryBytecodeCache()
        self.planned: tuple[str, dict] | None = None  # (shape, site/plan.planned_files output) of the last build
        self.generated: tuple[str, dict] | None = None  # (shape, generated_pages output) of the last build
        self.previous: Catalogue | None = None  # the last built catalogue, for its derived indexes
        self.made = PageInputs({}, {}, {})  # contents and contexts made while comparing, used by this build's render
        self.settling: threading.Timer | None = None  # settle_memory, started after the first build
        self.reach = Reach()  # of the last build: which entry pages a front-matter edit can reach (reach.py; empty: all)
        self.compared: int | None = None  # for tests and logs: entry pages compared by what they show (None: all)

    def close(self) -> None:
        """End of the serve session: what was frozen can be collected again."""
        if self.settling is not None:
            self.settling.cancel()
            self.settling.join()
            gc.unfreeze()

    def reset(self) -> None:
        """After a build that showed content errors: the next one is full."""
        self.snapshot, self.titles, self.skipped, self.last_rebuilt = None, {}, set(), None
        self.made, self.reach = PageInputs({}, {}, {}), Reach()

    def mark(self, files: Files, catalogue: Catalogue, pages: dict[str, VirtualPage], extra: tuple = ()) -> None:
        """Decide, for every file of this build, whether MkDocs must redo it."""
        current = snapshot_of(files, catalogue, pages, extra, lambda path: os.stat(path).st_mtime_ns)
        generated_files = [f for f in files if f.generated_by is not None and not f.is_documentation_page()]
        current.files = {f.src_uri: content_fingerprint(f.content_bytes) for f in generated_files}
        previous = self.snapshot
        self.compared = 0
        if previous is not None and previous.shape == current.shape:
            current.pages, self.made = previous.pages, PageInputs({}, {}, {})
        else:  # a front-matter edit: compare what each page shows (of the entry pages, those it can reach)
            urls = {f.src_uri: f.url for f in files.documentation_pages() if f.src_uri in pages}
            if previous is not None and previous.pages is not None and self.reach.facts:
                current.pages = self.compare_reached(previous.pages, catalogue, pages, urls)
            else:  # the first build: every page
                self.made, self.compared = page_fingerprints(pages, urls, catalogue), None
                current.pages = self.made.prints
        redo = changed_pages(previous, current)
        rewrite = changed_files(previous, current)
        self.snapshot, self.last_rebuilt, self.skipped, self.previous = current, redo, set(), catalogue
        for f in generated_files:
            set_modified(f, f.src_uri in rewrite)
        for f in files.documentation_pages():
            if redo is None:
                set_modified(f, True)  # new settings: hand-written pages too (navigation, error banner)
            elif f.generated_by is not None:
                modified = f.src_uri in redo
                set_modified(f, modified)
                if not modified:
                    self.skipped.add(f.src_uri)
            elif not f.is_modified():  # hand-written: MkDocs' own mtime test
                self.skipped.add(f.src_uri)
        log.info("kb: rebuilding %s", "every page" if redo is None else f"{len(redo)} page(s)")

    def made_for(self, src_uri: str) -> tuple[dict | None, str | None]:
        """(template context, rendered content) of a page, if mark() made them while comparing."""
        return self.made.contexts.pop(src_uri, None), self.made.html.pop(src_uri, None)

    def compare_reached(
        self, previous: dict[str, str], catalogue: Catalogue, pages: dict[str, VirtualPage], urls: dict[str, str]
    ) -> dict[str, str]:
        """What each page shows after a front-matter edit (`previous`: what each showed in the last build): every generated
        page and the entry pages the edit can reach (speed/reach.py) are compared (self.made), the others show what they showed."""
        entries = {catalogue.entries[ref].src_uri for ref in reached(self.reach, catalogue)}
        compare = {uri for uri, page in pages.items() if page.entry is None or uri in entries}
        self.made, self.compared = page_fingerprints(pages, urls, catalogue, only=compare), len(entries)
        shown = {uri: fp for uri, fp in previous.items() if uri in pages and uri not in compare}
        shown.update(self.made.prints)
        return shown

    def restore_titles(self, nav, files: Files) -> None:
        """Skipped pages are never read, so their navigation titles come from the last build."""
        self.nav, self.files = nav, files
        if self.snapshot is None:  # a build that showed errors: every page carries the list of problems
            for f in files.documentation_pages():
                set_modified(f, True)
        for page in nav.pages:
            if page.file.src_uri in self.skipped and page.file.src_uri in self.titles:
                page.title = self.titles[page.file.src_uri]

    def reuse_indexes(self, catalogue: Catalogue) -> None:
        """Same shape as the last build: its derived indexes (related entries, meetings, facets...) still hold,
        since none reads a body (see changes.py); at 10,000 entries that saves about a second a save."""
        previous = self.previous
        if previous is not None and shape_fingerprint(previous) == shape_fingerprint(catalogue):
            for name, value in previous.derived.items():
                catalogue.derived.setdefault(name, value)

    def generated_pages(self, catalogue: Catalogue, generate) -> dict[str, VirtualPage]:
        """Listings, tags, digests...: made from the catalogue's shape only (see changes.py), so the last
        build's are reused while the shape is the same (at 10,000 entries, the listings' facets alone take 1 s)."""
        shape = shape_fingerprint(catalogue)
        if self.generated is None or self.generated[0] != shape:
            self.generated = (shape, generate(catalogue))
        return self.generated[1]

    def plan_files(self, catalogue: Catalogue, plan) -> dict[str, str | bytes]:
        """Feeds, calendars, CSV, JSON: made from the catalogue's shape only (see changes.py), so the last build's are
        reused while the shape is the same (at 500 entries, 1 s of a 1.6 s save); when it changed, those of the
        generators whose inputs did not (`plan`: site/plan.planned_files)."""
        shape = shape_fingerprint(catalogue)
        if self.planned is None or self.planned[0] != shape:
            last = self.planned[1] if self.planned is not None else {}
            made = plan(catalogue, {name: key for name, (key, _) in last.items()})
            self.planned = (
                shape,
                {name: (key, last[name][1] if files is None else files) for name, (key, files) in made.items()},
            )
        return {path: content for _, files in self.planned[1].values() for path, content in files.items()}

    def _keep_reach(self) -> None:
        """What the next front-matter edit is decided with: every entry page's related list as it shows it (the pages
        not rendered or compared this time show the list they showed before), and the facts of this catalogue."""
        catalogue = self.previous
        if catalogue is None or self.snapshot is None or (self.reach.facts and self.compared == 0):
            return  # (the shape was the same: so are the facts and the related lists)
        related = {**self.reach.related, **catalogue.derived.get("related", {})}
        self.reach = reach_of(catalogue, {ref: related[ref] for ref in catalogue.entries if ref in related})

    def update_search(self, catalogue: Catalogue, target: Path) -> None:
        """The search API's index: only the documents of changed entries are rewritten."""
        from kb.search.incremental import refresh_index

        self.index_state, self.last_index = refresh_index(catalogue, target, self.index_state)

    def finish(self) -> None:
        """Remember navigation titles; delete output of pages and files that this build no longer has."""
        self.made = PageInputs({}, {}, {})  # made for this build only
        if self.settling is None:
            self.settling = settle_memory()
        if self.nav is None or self.files is None:
            return
        self.titles = {p.file.src_uri: p.title for p in self.nav.pages if p.title is not None}
        self._keep_reach()
        outputs = {f.abs_dest_path for f in self.files if f.abs_dest_path}
        for stale in self.outputs - outputs:
            Path(stale).unlink(missing_ok=True)
        self.outputs = outputs
        self.nav = self.files = None  # the pages (and their HTML) are the build's, not the session's
