"""One MkDocs build of the site as the kb plugin's hooks see it: what the build holds, and the work each hook hands over.

MkDocs keeps the plugin instance for a whole `mkdocs serve` session, so a BuildSession is made anew
for each build (on_config) and nothing of one build leaks into the next. What must outlive a build
(kb serve's record of the last one, speed/rebuilds.py) is handed in. The work itself is done by pure
modules: the project is loaded once (kb.project), every page is planned from that catalogue
(site/plan.py), and this class only turns the plan into MkDocs files and writes the result into place.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents

from kb.config import KnowledgeBaseConfig
from kb.content.catalogue import Catalogue
from kb.content.dates import TodayError
from kb.content.model import ENTRY_TYPES, TAGS_FILE
from kb.content.problems import Problem, errors, sort_for_people
from kb.content.terms import TERMS_FILE
from kb.output.folders import swap_into_place
from kb.pages.page import VirtualPage
from kb.pages.render import section_headings, with_title_anchor
from kb.pages.security import add_csp_meta
from kb.project import load_project
from kb.search.index import build_index, index_dir_for
from kb.site.plan import generated_pages, plan_files, plan_pages, render_entry
from kb.speed.rebuilds import IncrementalServe

log = logging.getLogger("mkdocs.plugins.kb")
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
# Source folders inside docs_dir whose files are entries: the catalogue, not MkDocs, reads them.
ENTRY_SRC_PREFIXES = tuple(
    t.folder.removeprefix("content/") + "/" for t in ENTRY_TYPES.values() if t.folder.startswith("content/")
)
DATA_FILES = (TAGS_FILE.removeprefix("content/"), TERMS_FILE.removeprefix("content/"))


class BuildFailed(PluginError):
    """Content problems that stop a build; the message is the same text `kb check` prints."""


def problems_message(problems: list[Problem]) -> str:
    lines = [p.format() for p in sort_for_people(problems)]
    return (
        f"The site was not built: {len(lines)} problem(s) in the content.\n"
        + "\n".join(lines)
        + "\nRun `kb check` for the same list."
    )


class BuildSession:
    """The state of one build, from on_config to on_post_build (or on_build_error)."""

    def __init__(
        self,
        settings: KnowledgeBaseConfig,
        config: Any,
        *,
        serving: bool,
        dirty: bool,
        rebuilds: IncrementalServe | None,
        said: set[str] | None = None,
    ) -> None:
        self.settings = settings
        self.serving = serving
        self.preview = serving and settings.preview  # a build never previews, whatever mkdocs.yml says
        self.may_split = not serving and dirty  # a dirty build into an empty folder may skip the worker's pages
        self.rebuilds = rebuilds
        # kb serve: warnings printed earlier in the session; a save prints only new ones, so new errors are not buried
        self.said = said if said is not None and serving else set()
        self.root = Path(settings.project_dir or Path(config.config_file_path).parent)
        self.catalogue: Catalogue | None = None
        self.pages: dict[str, VirtualPage] = {}
        self.error_html: str | None = None  # preview only: the problems shown in place of the site
        self.index_build: Any = None  # speed.index_writer.BackgroundIndex while a build runs
        self.worker: Any = None  # speed.page_worker.PageWorker while a build runs
        self.final_site_dir: str | None = None
        self.building_dir: str | None = None
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))  # after a custom_dir, before Material
        if settings.atomic_build and not serving:
            self.final_site_dir = config.site_dir
            Path(config.site_dir).parent.mkdir(parents=True, exist_ok=True)
            config.site_dir = self.building_dir = tempfile.mkdtemp(prefix=".kb-building-", dir=Path(config.site_dir).parent)

    # -- on_files ---------------------------------------------------------------------------------
    def plan(self, files: Files, config: Any) -> Files:
        """Load the project once, then hand MkDocs the pages and files planned from its catalogue (never the entry files)."""
        try:
            self.catalogue, problems = load_project(self.root, members=self.settings.members, preview=self.preview)
        except TodayError as exc:
            raise BuildFailed(str(exc)) from None
        catalogue = self.catalogue
        catalogue.site_url, catalogue.site_name = config.site_url or "", config.site_name or ""  # feeds: absolute links
        catalogue.search_api = self.settings.search_api if self.serving else ""
        if self.rebuilds is not None:
            self.rebuilds.reuse_indexes(catalogue)
        for p in problems:
            if p.severity == "warning" and (line := p.format()) not in self.said:
                log.warning(line)
                self.said.add(line)
        if errors(problems) and self.preview:
            return self._show_problems(files, config, errors(problems))
        if errors(problems):
            raise BuildFailed(problems_message(errors(problems)))
        if not self.serving and self.settings.speed.index_writer:  # beside the site (<site_dir>.search/), while the rest is made
            from kb.speed.index_writer import BackgroundIndex

            self.index_build = BackgroundIndex(catalogue, index_dir_for(Path(self.final_site_dir or config.site_dir)))
        _drop_sources(files)
        reused = self.rebuilds.generated_pages(catalogue, generated_pages) if self.rebuilds else None
        self.pages = plan_pages(catalogue, reused)
        _add_pages(files, config, self.pages.values())
        planned = self.rebuilds.plan_files(catalogue, plan_files) if self.rebuilds else plan_files(catalogue)
        for path, content in planned.items():
            files.append(File.generated(config, path, content=content))
        if self.rebuilds is not None:
            self.rebuilds.mark(files, catalogue, self.pages, (Path(config.config_file_path).read_bytes(),))
        return files

    def _show_problems(self, files: Files, config: Any, problems: list[Problem]) -> Files:
        """Preview only: log the problems and put their list in place of every page, keeping the server alive."""
        from kb.site.preview import entry_src_uris, error_html, error_pages

        log.error(problems_message(problems))
        self.error_html = error_html(problems)
        if self.rebuilds is not None:
            self.rebuilds.reset()
        _drop_sources(files)
        self.pages = error_pages(problems, set(self.pages) | entry_src_uris(self.root))
        _add_pages(files, config, self.pages.values())
        return files

    # -- on_nav, on_env, on_serve -------------------------------------------------------------------
    def nav(self, nav: Any, config: Any, files: Files) -> None:
        """kb serve: titles of skipped pages; kb build: a share of the entry pages to a forked worker."""
        if self.rebuilds is not None:
            self.rebuilds.restore_titles(nav, files)
        from kb.speed.page_worker import PageWorker, wanted

        if wanted(self.settings.speed.parallel) and self.may_split and self.building_dir and not self.error_html:
            self.worker = PageWorker.start(config, files, nav, self.pages)

    def env(self, env: Any) -> Any:
        if self.rebuilds is not None:
            env.bytecode_cache = self.rebuilds.bytecode_cache
        if self.settings.speed.theme_memo:
            from kb.speed import theme_memo

            theme_memo.install(env)  # Material's navigation and other page-independent parts rendered once per link shape
        return env

    def watch(self, server: Any) -> None:
        """Entries in register/ live outside docs_dir: watch them too; saves are heard from the OS, not polled."""
        register = self.root / "register"
        if register.is_dir():
            server.watch(str(register))
        if self.settings.speed.native_watcher:
            from kb.speed.watcher import use_native_observer

            if use_native_observer(server):
                log.info("kb: watching for saves with the operating system's notifications")

    # -- pages ------------------------------------------------------------------------------------
    def page_meta(self, page: Any) -> None:
        """Titles, descriptions and facts of our pages for the theme's templates."""
        virtual = self.pages.get(page.file.src_uri)
        if virtual is not None:
            # Material prints page titles and descriptions without escaping (it expects the author's
            # own Markdown); ours come from entries, so they are escaped here, once, for every template.
            page.meta.update(virtual.meta, title=str(escape(virtual.title)), description=str(escape(virtual.description)))
            if virtual.entry is not None:
                page.meta.update(kb_ref=virtual.entry.ref, kb_type=virtual.entry.type)

    def page_content(self, html: str, page: Any) -> str:
        """An entry page's facts, sanitised body and links; a generated page's own content."""
        virtual = self.pages.get(page.file.src_uri)
        if virtual is None:
            return self.error_html + html if self.error_html else html
        context, content = self.rebuilds.made_for(page.file.src_uri) if self.rebuilds else (None, None)
        if virtual.entry is not None:
            assert self.catalogue is not None
            html = render_entry(virtual.entry, html, page.url, self.catalogue, context)
            page.toc = contents(section_headings(html))
            return html
        if content is None:
            content = virtual.render_html(page.url) if virtual.render_html else html
        return with_title_anchor(content, page.toc or ())

    def with_policy(self, output: str) -> str:
        """A built page with its Content-Security-Policy (not when serving: live reload injects an inline script)."""
        return output if self.serving else add_csp_meta(output)

    # -- the end ----------------------------------------------------------------------------------
    def finish(self, config: Any) -> None:
        """Wait for the second processes, bring the search index up to date, then swap the new site into place."""
        if self.worker is not None:  # its pages are part of the site: wait for them before anything is swapped in
            worker, self.worker = self.worker, None
            try:
                done = worker.finish()
            except RuntimeError as exc:
                raise BuildFailed(f"The site was not built: {exc}") from None
            log.info("kb: %d pages built by a second process (peak %s MiB)", done["pages"], done["peak_mib"])
        if self.catalogue is not None and not self.error_html:
            self._finish_index(config)
        if self.rebuilds is not None:
            self.rebuilds.finish()
        if self.final_site_dir:
            swap_into_place(Path(config.site_dir), Path(self.final_site_dir))
            config.site_dir, self.final_site_dir, self.building_dir = self.final_site_dir, None, None

    def _finish_index(self, config: Any) -> None:
        """Before the site swap: a failed index fails the build."""
        assert self.catalogue is not None
        if self.serving:  # kb serve: the preview API's index, only the changed entries' documents when it can
            target = self.settings.search_index
            if target and self.rebuilds is not None:
                self.rebuilds.update_search(self.catalogue, Path(target))
            elif target:
                build_index(self.catalogue, Path(target), fast=self.settings.speed.index_writer)
        elif self.index_build is not None:  # started in plan(); forgotten first, so a failure is not cancelled twice
            index_build, self.index_build = self.index_build, None
            try:
                index_build.finish()
            except RuntimeError as exc:
                raise BuildFailed(f"The site was not built: {exc}") from None
        else:  # <site_dir>.search/ beside the site, never inside it (see search/index.py)
            build_index(
                self.catalogue, index_dir_for(Path(self.final_site_dir or config.site_dir)), fast=self.settings.speed.index_writer
            )

    def abandon(self) -> None:
        """The build failed: stop the second processes and remove the half-built folder."""
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
    for file in list(files):
        if file.src_uri.startswith(ENTRY_SRC_PREFIXES) or file.src_uri in DATA_FILES:
            files.remove(file)


def _add_pages(files: Files, config: Any, pages: Any) -> None:
    """Each planned page as a generated file (replacing a hand-written file at the same place, like content/index.md)."""
    for page in pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            files.remove(existing)
        inclusion = InclusionLevel.NOT_IN_NAV if page.meta.get("nav") is not True else InclusionLevel.UNDEFINED
        content = f"# {page.title}\n" if page.entry is None else page.entry.body
        files.append(File.generated(config, page.src_uri, content=content, inclusion=inclusion))


def contents(headings: list[tuple[int, str, str]]) -> TableOfContents:
    """A table of contents of the whole page: h2 items with their h3 items nested, as MkDocs makes one."""
    items: list[AnchorLink] = []
    for level, anchor, title in headings:
        link = AnchorLink(title, anchor, level)
        if level > 2 and items:
            items[-1].children.append(link)
        elif level == 2:
            items.append(link)
    return TableOfContents(items)
