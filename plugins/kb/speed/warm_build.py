"""`kb build` with the build cache: an unchanged entry's page, and every page its change cannot reach, comes from the last build.

The decisions are kb serve's (speed/rebuilds.py, speed/changes.py), made against the last build's record
kept in the build cache (speed/build_cache.py) instead of in memory:

- nothing of the shape changed (a body edit): only the pages of the edited entries are rendered; the
  generated pages and files (listings, hubs, tags, digests, feeds, calendars) are the last build's;
- the shape changed (front matter, an entry added or removed): every generated page and file is made
  again and each page is compared with the last build's by what it shows (changes.page_fingerprints);
  of the entry pages, only those the change can reach are compared (speed/reach.py);
- the settings changed (tags.yml, terms.yml, today, the navigation, a hand-written page): every page.

MkDocs renders only the pages to redo (a dirty build into the build folder, emptied of all else); the others
are placed from the cache (hard links) before the folder is swapped into place. The build folder is the site
before last when there is one (output/folders.py): its files the cache gives are already in place. What each page showed is
recorded as it is rendered (here and in the page worker), for the next build to compare with.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.structure.files import Files

from kb.content.catalogue import Catalogue
from kb.content.file_cache import file_digest
from kb.content.fingerprints import digest
from kb.output.folders import keep_only
from kb.pages.page import VirtualPage
from kb.search.incremental import IndexState, write_or_update
from kb.speed.build_cache import (
    BuildCache,
    code_key,
    key_of,
    place,
    restore_entries,
    save_entries,
    tree_digest,
    write_atomically,
)
from kb.speed.changes import (
    Inputs,
    PageInputs,
    Snapshot,
    content_fingerprint,
    entry_print,
    page_head,
    shape_fingerprint,
    shown_print,
    snapshot_of,
)
from kb.speed.mkdocs_internals import set_modified
from kb.speed.reach import Reach, reach_of
from kb.speed.rebuilds import IncrementalServe

log = logging.getLogger("mkdocs.plugins.kb")

PAGES, SITE = "pages", "site"


@dataclass
class PagesRecord:
    """What one build made its pages from, saved in the cache for the next build."""

    snapshot: Snapshot
    titles: dict[str, str]  # src_uri -> navigation title
    generated: list[tuple[str, str, str, dict]]  # (src_uri, title, description, meta) of each generated non-entry page
    planned: list[str]  # site paths of the generated non-page files (feeds, calendars, rows...)
    reach: Reach = field(default_factory=Reach)
    made_by: dict[str, tuple[str | None, list[str]]] = field(default_factory=dict)  # file generator -> (its inputs, paths)


class WarmBuild(IncrementalServe):
    """One `kb build` made with the cache: decides what MkDocs renders, places the rest, saves the record."""

    def __init__(self, store: BuildCache, key: str) -> None:
        super().__init__()
        self.store, self.key = store, key
        self.constant_pictures: dict[int, tuple[object, object]] = {}  # changes.Inputs: a term's digest pictured once
        self.record: PagesRecord | None = store.load_part(PAGES, key)
        self.tree = store.load_tree(SITE, key) if self.record is not None else None
        if self.record is not None and self.tree is None:
            self.record = None
        self.reach = self.record.reach if self.record is not None else Reach()
        if self.record is not None:
            self.snapshot = self.record.snapshot
            self.titles = dict(self.record.titles)
            stubs = {
                uri: VirtualPage(uri, title, description, meta=meta) for uri, title, description, meta in self.record.generated
            }
            self.generated = (self.record.snapshot.shape, stubs)
        self.prints: dict[str, str] = {}  # src_uri -> what the page showed, recorded as it is rendered
        self.related: dict[str, list[str]] = {}  # ref -> related refs, from the page worker
        self.reuse: list[str] = []  # site paths placed from the cache
        self.planned_paths: list[str] = []
        self.made_by: dict[str, tuple[str | None, list[str]]] = {}  # as PagesRecord.made_by, for this build
        self.files_kept: list[str] = []  # site paths of generated non-page files placed from the cache
        self.pages: dict[str, VirtualPage] = {}
        self.generate: Any = None  # site/plan.generated_pages, for when a stub must be rendered after all
        self.redone: set[str] | None = None  # for tests and the log: src_uris rendered (None: all)
        self.kept: set[str] = set()  # site paths whose file the site before last held already (clear_recycled)

    # -- on_files -----------------------------------------------------------------------------------
    def same_shape(self, catalogue: Catalogue) -> bool:
        """The catalogue has the last build's shape (front matter and links): what is made from it alone still holds."""
        return self.record is not None and self.record.snapshot.shape == shape_fingerprint(catalogue)

    def reuse_indexes(self, catalogue: Catalogue) -> None:
        """Same shape as the last build: each entry's related list is the one its page showed then (related lists
        are made from the shape alone, site/related.py), so the key terms of 10,000 entries (1 s) are not made again."""
        if self.same_shape(catalogue):
            related = self.reach.related
            catalogue.derived.setdefault("related", {ref: related[ref] for ref in catalogue.entries if ref in related})

    def generated_pages(self, catalogue: Catalogue, generate) -> dict[str, VirtualPage]:
        """The last build's pages, as stubs that cannot render, while the shape is the same (see mark)."""
        self.generate = generate
        return super().generated_pages(catalogue, generate)

    def plan_files(self, catalogue: Catalogue, plan) -> dict[str, str | bytes]:
        """The last build's files are placed whole when nothing they are made from changed: all of them while the shape
        is the same, else those of each generator whose inputs are the same (`plan`: site/plan.planned_files)."""
        record, tree = self.record, self.tree or {}
        if record is not None and self.same_shape(catalogue):
            self.planned_paths, self.made_by = list(record.planned), dict(record.made_by)
            self.files_kept = list(record.planned)
            missing = [path for path in self.files_kept if path not in tree]
            if missing:
                raise RuntimeError(f"the build cache has no {missing[0]}")  # cannot happen: saved with the record
            return {}
        last = record.made_by if record is not None else {}
        whole = {name: key for name, (key, paths) in last.items() if all(path in tree for path in paths)}
        made = plan(catalogue, whole)
        self.made_by = {name: (key, last[name][1] if files is None else list(files)) for name, (key, files) in made.items()}
        self.files_kept = [path for name, (_, files) in made.items() if files is None for path in last[name][1]]
        self.planned_paths = [path for _, paths in self.made_by.values() for path in paths]
        return {path: content for _, files in made.values() if files for path, content in files.items()}

    def mark(self, files: Files, catalogue: Catalogue, pages: dict[str, VirtualPage], extra: tuple = ()) -> None:
        """Decide, for every generated page, whether MkDocs renders it or the cache's copy is placed."""
        self.pages = pages
        current = snapshot_of(files, catalogue, pages, extra, file_digest)
        planned_files = [f for f in files if f.generated_by is not None and not f.is_documentation_page()]
        previous = self.snapshot
        old_files = previous.files if previous is not None else {}
        current.files = {path: old_files[path] for path in self.files_kept if path in old_files}
        current.files.update({f.src_uri: content_fingerprint(f.content_bytes) for f in planned_files})
        urls = {f.src_uri: f.url for f in files.documentation_pages() if f.src_uri in pages}
        redo = self._decide(previous, current, catalogue, pages, urls)
        doc_pages = [f for f in files.documentation_pages() if f.generated_by is not None]
        tree = self.tree or {}
        stubs = {uri for uri, page in pages.items() if page.entry is None and page.render_html is None}
        if any(redo is None or f.src_uri in redo or f.dest_uri not in tree for f in doc_pages if f.src_uri in stubs):
            real = self.generate(catalogue)  # a stub must be rendered after all: the real pages, of the same shape
            if not stubs <= real.keys():  # cannot happen: the shape they are made from is the same
                raise RuntimeError("the build cache's generated pages do not match this build's")
            pages.update(real)
        self.reuse, self.skipped = [], set()
        for f in doc_pages:
            modified = redo is None or f.src_uri in redo or f.dest_uri not in tree
            set_modified(f, modified)
            if not modified:
                self.skipped.add(f.src_uri)
                self.reuse.append(f.dest_uri)
        for f in planned_files:
            set_modified(f, True)
        self.reuse += self.files_kept
        self.snapshot, self.previous = current, catalogue
        self.redone = None if redo is None else {f.src_uri for f in doc_pages if f.src_uri not in self.skipped}
        self.last_rebuilt = self.redone
        log.info("kb: the build cache gives %d of %d pages", len(self.skipped), len(doc_pages))

    def _decide(
        self, previous: Snapshot | None, current: Snapshot, catalogue: Catalogue, pages: dict[str, VirtualPage], urls: dict
    ) -> set[str] | None:
        """The generated pages to render (None: all), filling current.pages with what the others show."""
        self.made = PageInputs({}, {}, {})
        if previous is None or previous.pages is None or previous.settings != current.settings:
            current.pages = {}
            return None
        bodies = {uri for uri, body in current.bodies.items() if previous.bodies.get(uri) != body}
        if previous.shape == current.shape and previous.bodies.keys() == current.bodies.keys():
            current.pages = dict(previous.pages)
            return bodies
        current.pages = self.compare_reached(previous.pages, catalogue, pages, urls)
        return bodies | {uri for uri in pages if previous.pages.get(uri) is None or current.pages.get(uri) != previous.pages[uri]}

    def clear_recycled(self, folder: Path) -> None:
        """The build folder is the site before last (output/folders.py's spare): only the files this build places from
        the cache stay, and only where they are the cache's very files (same inode on the same file system);
        everything else goes."""
        tree = self.tree or {}
        same_disk = os.stat(folder).st_dev == os.stat(self.store.folder / SITE).st_dev
        keep = {path: tree[path][3] for path in self.reuse if path in tree} if same_disk else {}
        self.kept, removed = keep_only(folder, keep)
        log.info("kb: building in the site before last: %d files kept, %d removed", len(self.kept), removed)

    # -- pages as they are rendered -----------------------------------------------------------------
    def record_page(self, page: VirtualPage, url: str, catalogue: Catalogue, context: dict | None, html: str | None) -> None:
        """What a page rendered in this build shows, for the next build to compare with: as page_fingerprints
        pictures it (an entry page's context, a listing's inputs, another generated page's HTML)."""
        picture = Inputs(self.constant_pictures)
        head = page_head(page, url, picture)
        if page.entry is not None:
            assert context is not None
            self.prints[page.src_uri] = entry_print(head, context, page.entry, catalogue, picture)
        elif page.shows is not None:
            self.prints[page.src_uri] = shown_print(head, page.shows, picture)
        elif page.render_html is not None:
            assert html is not None
            self.prints[page.src_uri] = digest(head, html)
        else:
            self.prints[page.src_uri] = digest(head)

    def worker_report(self, shared: list[str], catalogue: Catalogue) -> dict[str, Any]:
        """In the page worker: the prints and related lists of the pages it rendered, for the parent to save."""
        mine = set(shared)
        related = catalogue.derived.get("related", {})
        refs = {p.entry.ref for uri, p in self.pages.items() if uri in mine and p.entry is not None}
        return {
            "prints": {u: p for u, p in self.prints.items() if u in mine},
            "related": {r: related[r] for r in refs if r in related},
        }

    def take_report(self, report: dict[str, Any]) -> None:
        self.prints.update(report["prints"])
        self.related.update(report["related"])

    # -- on_post_build ------------------------------------------------------------------------------
    def finish(self) -> None:
        """kb serve's end of a rebuild: nothing to do here (finish_build places and saves, before the swap)."""

    def finish_build(self, building: Path, catalogue: Catalogue) -> None:
        """Place the pages and files this build did not make, then save what it made for the next one."""
        if self.reuse:
            place(self.store.folder / SITE, building, [path for path in self.reuse if path not in self.kept])
        titles: dict[str, str] = {}
        if self.nav is not None:
            titles = {p.file.src_uri: p.title for p in self.nav.pages if p.title is not None}
        assert self.snapshot is not None
        self.snapshot.pages = {**(self.snapshot.pages or {}), **self.prints}
        related = {**self.reach.related, **self.related, **catalogue.derived.get("related", {})}
        related = {ref: related[ref] for ref in catalogue.entries if ref in related}  # not those of entries gone
        generated = [(uri, p.title, p.description, p.meta) for uri, p in self.pages.items() if p.entry is None]
        if self.same_shape(catalogue):
            reach = Reach(self.reach.facts, self.reach.order, related)  # made from the shape alone: as they were
        else:
            reach = reach_of(catalogue, related)
        record = PagesRecord(self.snapshot, titles, generated, self.planned_paths, reach, self.made_by)
        if self.files is not None:
            outputs = [f.dest_uri for f in self.files.documentation_pages() if f.generated_by is not None]
            self.store.save_tree(SITE, self.key, building, outputs + self.planned_paths, self.tree, same=self.kept)
            self.store.save_part(PAGES, self.key, record)
            self.store.write_manifest()
        self.nav = self.files = None


TEMPLATES = "templates-"  # then the code key: the compiled templates, kept between builds


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode kept between builds (compiling Material's templates took about a second a build), one file per
    template: a SHA-256 of the rest, then Jinja's own record (its format, the template source's checksum, the code).
    A file that fails either check is compiled again; one that cannot be written is not kept, and the build goes on."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / f"{bucket.key}.j2").read_bytes()
        except OSError:
            return
        if hashlib.sha256(data[32:]).digest() != data[:32]:
            return
        try:
            bucket.bytecode_from_string(data[32:])
        except Exception:  # whatever Jinja makes of a record it cannot read: compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        record = bucket.bytecode_to_string()
        with contextlib.suppress(OSError):
            write_atomically(self.folder / f"{bucket.key}.j2", hashlib.sha256(record).digest() + record)


def compiled_templates(folder: Path, code: str) -> CompiledTemplates:
    """The compiled templates of this code (another Jinja, Python or theme starts afresh; other codes' folders go)."""
    here = folder / f"{TEMPLATES}{code[:16]}"
    for other in folder.glob(f"{TEMPLATES}*"):
        if other != here:
            shutil.rmtree(other, ignore_errors=True)
    here.mkdir(parents=True, exist_ok=True)
    return CompiledTemplates(here)


SEARCH, SEARCH_STATE = "search", "search-state"


class CachedBuild:
    """Everything one build does with its audience's cache folder: the loader's results, the pages (WarmBuild), the index."""

    def __init__(self, root: Path, folder: Path, config: Any, members: bool) -> None:
        import mkdocs  # which engine builds (MkDocs or ProperDocs, building/engine.py): Material's generator tag names it

        self.root, self.store = root, BuildCache(folder)
        self.code = code_key()
        custom = getattr(config.theme, "custom_dir", None)
        config_file = Path(config.config_file_path)
        self.site_key = key_of(
            self.code, config_file.read_bytes(), tree_digest(Path(custom)) if custom else "", mkdocs.__name__, members
        )
        self.search_key = key_of(self.code, members)
        self.pages = WarmBuild(self.store, self.site_key)
        self.pages.bytecode_cache = compiled_templates(self.store.folder, self.code)
        self.entries_restored = False
        self.entries_saved = False

    def restore_entries(self) -> None:
        """Before the project is loaded: the last run's per-file results, every one checked against the files again."""
        self.entries_restored = restore_entries(self.store, self.root, self.code)

    def write_index(self, catalogue: Catalogue, building: Path, fast: bool) -> IndexState:
        """The index written in this process into `building` (speed: index_writer off), from the cache's copy when it
        can be; the build swaps it in with the site."""
        previous, source = self.search_start()
        state, _ = write_or_update(catalogue, building, previous, source, fast=fast)
        return state

    def search_start(self) -> tuple[IndexState | None, Path | None]:
        """(state, folder) of the cache's copy of the last index, or (None, None)."""
        state = self.store.load_part(SEARCH_STATE, self.search_key)
        if state is None or self.store.load_tree(SEARCH, self.search_key) is None:
            return None, None
        return state, self.store.folder / SEARCH

    def save_checked(self) -> None:
        """The loader's per-file results, saved once: by finish, or earlier, while the build waits for its second
        process (they hold for the files as read, whatever becomes of the build; the manifest names them at the end)."""
        if not self.entries_saved:
            save_entries(self.store, self.root, self.code, self.entries_restored)
            self.entries_saved = True

    def finish(self, building: Path, catalogue: Catalogue, index: Path | None, state: IndexState | None) -> None:
        """After the build succeeded, before the swap: save what it made (`index`: the new index folder, written)."""
        self.save_checked()
        self.pages.finish_build(building, catalogue)
        if index is not None and state is not None:
            known = self.store.load_tree(SEARCH, self.search_key)
            files = [p.relative_to(index).as_posix() for p in index.rglob("*") if p.is_file() and not p.name.endswith("LOCK")]
            self.store.save_tree(SEARCH, self.search_key, index, files, known)
            self.store.save_part(SEARCH_STATE, self.search_key, state)
        self.store.write_manifest()
