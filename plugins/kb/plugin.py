"""The MkDocs plugin: thin hooks that hand the one catalogue to pure modules.

on_files swaps entry sources for pages generated from the catalogue (so nothing unpublished
can be built), the page hooks add the entry's facts and links, and the build is written to
a temporary folder that replaces the site only when everything succeeded.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .build_memory import BuildMemory
from .catalogue import Catalogue, load_project
from .config import KnowledgeBaseConfig
from .dates import TodayError
from .model import ENTRY_TYPES, TAGS_FILE
from .problems import errors, sort_for_people
from .terms import TERMS_FILE
from .security import add_csp_meta
from .pages import VirtualPage
from .site import generated_pages, plan_files, plan_pages, render_entry

log = logging.getLogger("mkdocs.plugins.kb")
THEME_DIR = Path(__file__).parent / "theme"
# Source folders inside docs_dir whose files are entries: the catalogue, not MkDocs, reads them.
ENTRY_SRC_PREFIXES = tuple(t.folder.removeprefix("content/") + "/" for t in ENTRY_TYPES.values() if t.folder.startswith("content/"))


# Set by `kb serve` (building.serve_site) before MkDocs starts; read only when MkDocs serves, never in a build.
SERVE_SETTINGS: dict[str, bool] = {}


class BuildFailed(PluginError):
    """Content problems that stop a build; the message is the same text `kb check` prints."""


def problems_message(problems) -> str:
    lines = [p.format() for p in sort_for_people(problems)]
    return f"The site was not built: {len(lines)} problem(s) in the content.\n" + "\n".join(lines) + "\nRun `kb check` for the same list."


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.pages: dict[str, VirtualPage] = {}
        self.error_html: str | None = None  # preview only: the problems shown in place of the site
        self.is_serve = False
        self.preview = False
        self.final_site_dir: str | None = None
        self.building_dir: str | None = None
        self.index_build = None  # search_index.BackgroundIndex while a build runs
        self.incremental = None  # kb serve only: what a save changed (serve_incremental.IncrementalServe)
        self.may_split = False  # a dirty `build`: pages handed to a worker can be skipped here (parallel.py)
        self.worker = None  # parallel.PageWorker while a build runs
        self.memory = BuildMemory()  # kb build's use of the garbage collector (build_memory.py)

    def on_startup(self, *, command, dirty) -> None:
        self.is_serve = command == "serve"
        self.may_split = command == "build" and dirty
        from .serve_incremental import IncrementalServe  # MkDocs keeps this instance for the process: reset here
        self.incremental = IncrementalServe() if self.is_serve and dirty else None
        if command == "build":
            self.memory.start()

    def on_shutdown(self) -> None:
        self.memory.end()
        if self.incremental is not None:
            self.incremental.close()
        self.incremental = None

    def on_config(self, config):
        if not self.config.enabled:
            return config
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))  # after a custom_dir, before Material
        self.preview = self.is_serve and (self.config.preview or SERVE_SETTINGS.get("preview", False))
        if self.is_serve and SERVE_SETTINGS.get("members"):
            self.config.members = True
        if self.config.atomic_build and not self.is_serve:
            self.final_site_dir = config.site_dir
            Path(config.site_dir).parent.mkdir(parents=True, exist_ok=True)
            config.site_dir = self.building_dir = tempfile.mkdtemp(prefix=".kb-building-", dir=Path(config.site_dir).parent)
        return config

    @event_priority(50)
    def on_files(self, files: Files, *, config) -> Files:
        if not self.config.enabled:
            return files
        root = Path(self.config.project_dir or Path(config.config_file_path).parent)
        try:
            self.catalogue, problems = load_project(root, members=self.config.members, preview=self.preview)
        except TodayError as exc:
            raise BuildFailed(str(exc)) from None
        self.catalogue.site_url, self.catalogue.site_name = config.site_url or "", config.site_name or ""  # feeds: absolute links
        if self.incremental is not None:
            self.incremental.reuse_indexes(self.catalogue)
        for p in problems:
            if p.severity == "warning":
                log.warning(p.format())
        if errors(problems) and self.preview:
            return self._preview_errors(files, config, root, errors(problems))
        if errors(problems):
            raise BuildFailed(problems_message(errors(problems)))
        self.error_html = None
        if not self.is_serve:  # written beside the site (<site_dir>.search/) while the rest is made: it takes longest
            from .search_index import BackgroundIndex, index_dir_for
            self.index_build = BackgroundIndex(self.catalogue, index_dir_for(Path(self.final_site_dir or config.site_dir)))
        _drop_sources(files)
        self.pages = plan_pages(self.catalogue, self.incremental.generated_pages(self.catalogue, generated_pages) if self.incremental else None)
        for page in self.pages.values():
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                files.remove(existing)
            inclusion = InclusionLevel.NOT_IN_NAV if page.meta.get("nav") is not True else InclusionLevel.UNDEFINED
            files.append(File.generated(config, page.src_uri, content=f"# {page.title}\n", inclusion=inclusion)
                         if page.entry is None else
                         File.generated(config, page.src_uri, content=page.entry.body, inclusion=inclusion))
        planned = self.incremental.plan_files(self.catalogue, plan_files) if self.incremental else plan_files(self.catalogue)
        for path, content in planned.items():
            files.append(File.generated(config, path, content=content))
        if self.incremental is not None:
            self.incremental.mark(files, self.catalogue, self.pages, (Path(config.config_file_path).read_bytes(),))
        self.memory.keep()  # kb build: the catalogue and the planned pages live to the end of the build
        return files

    def _preview_errors(self, files: Files, config, root: Path, problems) -> Files:
        """Preview only: log the problems and put their list in place of every page, keeping the server alive."""
        from .preview import entry_src_uris, error_html, error_pages
        log.error(problems_message(problems))
        self.error_html = error_html(problems)
        if self.incremental is not None:
            self.incremental.reset()
        _drop_sources(files)
        self.pages = error_pages(problems, set(self.pages) | entry_src_uris(root))
        for page in self.pages.values():
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.src_uri, content=f"# {page.title}\n", inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_nav(self, nav, *, config, files):
        if self.incremental is not None:
            self.incremental.restore_titles(nav, files)
        from .parallel import wanted
        if wanted(self.config.parallel) and self.may_split and self.building_dir and not self.error_html:
            self._split_pages(config, files, nav)
        return nav

    def _split_pages(self, config, files, nav) -> None:
        """Hand a share of the entry pages to a forked worker; this process, in a dirty build into an
        empty folder, skips them (parallel.py)."""
        from mkdocs.structure.pages import Page

        from .parallel import PageWorker, can_fork, worker_share
        from .serve_incremental import _set_modified
        if not can_fork():
            return
        entries = [f for f in files.documentation_pages() if f.inclusion.is_not_in_nav()
                   and (v := self.pages.get(f.src_uri)) is not None and v.entry is not None]
        shared = worker_share(entries)
        pages = [f.page if f.page is not None else Page(None, f, config) for f in shared]
        self.worker = PageWorker(pages, config, files, nav)
        for f in shared:
            _set_modified(f, False)

    def on_env(self, env, *, config, files):
        from . import theme_memo
        if self.incremental is not None:
            env.bytecode_cache = self.incremental.bytecode_cache
        theme_memo.install(env)  # Material's navigation and other page-independent parts rendered once per link shape
        return env

    def on_serve(self, server, *, config, builder):
        """Entries in register/ live outside docs_dir: watch them too; saves are heard from the OS, not polled."""
        from .watcher import use_native_observer
        register = Path(self.config.project_dir or Path(config.config_file_path).parent) / "register"
        if register.is_dir():
            server.watch(str(register))
        if use_native_observer(server):
            log.info("kb: watching for saves with the operating system's notifications")
        return server

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        virtual = self.pages.get(page.file.src_uri)
        if virtual is not None:
            # Material prints page titles and descriptions without escaping (it expects the author's
            # own Markdown); ours come from entries, so they are escaped here, once, for every template.
            page.meta.update(virtual.meta, title=str(escape(virtual.title)), description=str(escape(virtual.description)))
            if virtual.entry is not None:
                page.meta.update(kb_ref=virtual.entry.ref, kb_type=virtual.entry.type)
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        virtual = self.pages.get(page.file.src_uri)
        if virtual is None:
            return self.error_html + html if self.error_html else html
        context, content = self.incremental.made_for(page.file.src_uri) if self.incremental else (None, None)
        if virtual.entry is not None:
            return render_entry(virtual.entry, html, page.url, self.catalogue, context)
        if content is not None:
            return content
        return virtual.render_html(page.url) if virtual.render_html else html

    def on_post_page(self, output: str, *, page, config) -> str:
        if not self.config.enabled or self.is_serve:  # live reload injects an inline script of its own
            return output
        return add_csp_meta(output)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        if not self.config.enabled or self.is_serve or not template_name.endswith(".html"):
            return output_content
        return add_csp_meta(output_content)  # 404.html is a theme template, not a page

    def on_post_build(self, *, config) -> None:
        if self.worker is not None:  # its pages are part of the site: wait for them before anything is swapped in
            worker, self.worker = self.worker, None
            try:
                done = worker.finish()
            except RuntimeError as exc:
                raise BuildFailed(f"The site was not built: {exc}") from None
            log.info("kb: %d pages built by a second process (peak %s MiB)", done["pages"], done["peak_mib"])
        if self.config.enabled and self.catalogue is not None and not self.error_html:
            from .search_index import build_index, index_dir_for  # before the swap: a failed index fails the build
            target = SERVE_SETTINGS.get("search_index") if self.is_serve else index_dir_for(Path(self.final_site_dir or config.site_dir))
            if target and self.incremental is not None:  # kb serve: only the changed entries' documents
                self.incremental.update_search(self.catalogue, Path(target))
            elif self.index_build is not None:  # started in on_files; a failed index fails the build
                self.index_build.finish()
                self.index_build = None
            elif target:  # <site_dir>.search/ beside the site, never inside it (see search_index.py)
                build_index(self.catalogue, Path(target))
        if self.incremental is not None:
            self.incremental.finish()
        if self.final_site_dir:
            _swap_into_place(Path(config.site_dir), Path(self.final_site_dir))
            config.site_dir, self.final_site_dir, self.building_dir = self.final_site_dir, None, None

    def on_build_error(self, *, error) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        if self.index_build is not None:
            self.index_build.cancel()
            self.index_build = None
        if self.building_dir:
            shutil.rmtree(self.building_dir, ignore_errors=True)
            self.building_dir = self.final_site_dir = None


def _drop_sources(files: Files) -> None:
    """Entry files and data files are read by the catalogue; MkDocs must never build or copy them itself."""
    data_files = (TAGS_FILE.removeprefix("content/"), TERMS_FILE.removeprefix("content/"))
    for file in list(files):
        if file.src_uri.startswith(ENTRY_SRC_PREFIXES) or file.src_uri in data_files:
            files.remove(file)


def _swap_into_place(built: Path, final: Path) -> None:
    """Replace the old site by the new one with two renames, so readers never see half a site."""
    old = final.with_name(final.name + ".kb-old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    built.rename(final)
    shutil.rmtree(old, ignore_errors=True)
