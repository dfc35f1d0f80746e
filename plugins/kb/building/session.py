"""One MkDocs build of the site as the kb plugin's hooks see it: what the build holds, and the work each hook hands over.

MkDocs keeps the plugin instance for a whole `mkdocs serve` session, so a BuildSession is made anew
for each build (on_config) and nothing of one build leaks into the next. What must outlive a build
(kb serve's record of the last one, speed/rebuilds.py) is handed in. The work itself is done by pure
modules: the project is loaded once (kb.project), every page is planned from that catalogue
(site/plan.py), and this class only turns the plan into MkDocs files and writes the result into place.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents

from kb.building.local_only import only_local
from kb.config import KnowledgeBaseConfig, limits_of
from kb.content.catalogue import Catalogue, leaving_out, withhold_hidden
from kb.content.dates import TodayError, fix_build_date
from kb.content.files import ProjectFiles, scan
from kb.content.problems import Problem, errors, sort_for_people
from kb.editor.settings import EditorSetupError
from kb.output.folders import (
    BackgroundRemoval,
    failure_words,
    removal_name,
    removal_prefix,
    remove_stale,
    spare_dir_for,
    swap_all,
    take_spare,
)
from kb.pages.page import VirtualPage
from kb.pages.render import environment as render_environment
from kb.pages.render import section_headings, with_title_anchor
from kb.pages.sanitize import sanitize_html
from kb.pages.security import add_csp_meta, theme_script_hashes
from kb.project import load_project
from kb.search.index import build_index, building_dir, catalogue_documents, index_dir_for, manifest, write_index
from kb.site.offline import STYLESHEET
from kb.site.plan import (
    PageClash,
    entry_context,
    generated_pages,
    kept_sources,
    plan_files,
    plan_pages,
    planned_files,
    render_entry,
)
from kb.site.social import card_for
from kb.speed.file_worker import split_map
from kb.speed.forks import wanted
from kb.speed.rebuilds import IncrementalServe

log = logging.getLogger("mkdocs.plugins.kb")
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
BUILDING_PREFIX = ".kb-building-"  # then the build's process id (see output.folders.remove_stale)


def with_our_theme(theme: Any) -> None:
    """Our templates (theme/) after a site's custom_dir and before Material's, so ours replace Material's partials."""
    theme.dirs.insert(1 if theme.custom_dir else 0, str(THEME_DIR))


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
        try:
            fix_build_date()  # before MkDocs makes its pages, which take the build date
        except TodayError as exc:
            raise BuildFailed(str(exc)) from None
        if settings.speed.markdown_scan:
            from kb.speed.markdown_internals import skip_hopeless

            skip_hopeless(config)  # Markdown's patterns not tried on text they cannot match
        from kb.speed.theme_memo import dict_lookups

        dict_lookups(render_environment(), on=settings.speed.theme_memo)  # our templates' `d.key` (the env outlives a build)
        self.preview = serving and settings.preview  # a build never previews, whatever mkdocs.yml says
        self.may_split = not serving and dirty  # a dirty build into an empty folder may skip the worker's pages
        self.rebuilds = rebuilds
        # kb serve: warnings printed earlier in the session; a save prints only new ones, so new errors are not buried
        self.said = said if said is not None and serving else set()
        self.root = Path(settings.project_dir or Path(config.config_file_path).parent)
        self.catalogue: Catalogue | None = None
        self.pages: dict[str, VirtualPage] = {}
        self.error_html: str | None = None  # preview only: the problems shown in place of the site
        self.drafts: Any = None  # preview only: site.preview.DraftProblems, drafts left out for their errors (a banner)
        self.index_build: Any = None  # speed.index_writer.BackgroundIndex while a build runs
        self.worker: Any = None  # speed.page_worker.PageWorker while a build runs
        self.final_site_dir: str | None = None
        self.building_dir: str | None = None
        self.index_ready: Path | None = None  # the new search index, written, waiting to be swapped in with the site
        self.files = ProjectFiles()  # every file of content/ and register/ in its place (on_pre_build)
        self.script_hashes: frozenset[str] = frozenset()  # the theme's inline scripts (on_env)
        with_our_theme(config.theme)
        config.theme.static_templates.add(STYLESHEET)  # our stylesheets joined into one, rendered by MkDocs each build
        if settings.atomic_build and not serving:
            self.final_site_dir = config.site_dir
            parent = Path(config.site_dir).parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
                name = Path(config.site_dir).name
                spare = () if dirty and settings.speed.build_cache else (f".{name}.spare",)  # kept for warm builds only
                remove_stale(
                    parent,
                    (
                        BUILDING_PREFIX,
                        f".{name}.old",
                        f".{name}.search.building-",
                        f".{name}.search.old",
                        removal_prefix(name),
                        *spare,
                    ),
                )
                config.site_dir = self.building_dir = tempfile.mkdtemp(prefix=f"{BUILDING_PREFIX}{os.getpid()}-", dir=parent)
            except OSError as exc:
                raise BuildFailed(f"The site was not built: {failure_words(exc)}") from None
        self.cached: Any = None  # speed.warm_build.CachedBuild: kb build with the build cache (a dirty build into a new folder)
        if self.building_dir and dirty and settings.speed.build_cache:
            from kb.speed.warm_build import CachedBuild

            folder = self.root / settings.cache_dir / ("members" if settings.members else "public")
            self.cached = CachedBuild(self.root, folder, config, settings.members)
            self.rebuilds = self.cached.pages  # kb serve's decisions, against the last build's record
        # A warm build builds in the site before last (files the cache gives kept, the rest removed in plan): 10,000
        # page folders made and removed again cost seconds. Only while the cache's record of pages can be used.
        self.recycled = bool(
            self.cached is not None
            and self.cached.pages.record is not None
            and self.final_site_dir
            and self.building_dir
            and take_spare(spare_dir_for(Path(self.final_site_dir)), Path(self.building_dir))
        )
        # A spare this build does not build in goes while it runs, not in the swap at its end (seconds at 10,000 pages).
        self.removal: BackgroundRemoval | None = None
        if self.cached is not None and self.final_site_dir and not self.recycled:
            final = Path(self.final_site_dir)
            self.removal = BackgroundRemoval.start(spare_dir_for(final), removal_name(final))

    # -- on_pre_build -----------------------------------------------------------------------------
    def walk(self) -> None:
        """Every file in its place, before MkDocs walks docs_dir (it follows links, and a loop of them never ends):
        a link or special file stops the build here, so nothing from outside the project is read or copied."""
        self.files = scan(self.root)
        if self.files.links:
            raise BuildFailed(problems_message(self.files.links))

    # -- on_files ---------------------------------------------------------------------------------
    def plan(self, files: Files, config: Any) -> Files:
        """Load the project once, then hand MkDocs the pages and files planned from its catalogue (never the entry files)."""
        limits = limits_of(self.settings.limits)
        if self.cached is not None:
            self.cached.restore_entries()
        try:
            self.catalogue, problems = load_project(
                self.root,
                members=self.settings.members,
                preview=self.preview,
                limits=limits,
                scanned=self.files,
                map_files=split_map if wanted(self.settings.speed.parallel) else None,
            )
        except TodayError as exc:
            raise BuildFailed(str(exc)) from None
        catalogue = self.catalogue
        if not self.preview:  # the build log never shows what an entry left out of this build says
            problems = withhold_hidden(problems, catalogue)
        elif errors(problems):
            catalogue = self._leave_out_drafts(errors(problems))
        catalogue.site_url, catalogue.site_name = config.site_url or "", config.site_name or ""  # feeds: absolute links
        catalogue.search_api = self.settings.search_api if self.serving else ""
        catalogue.editor = {**dict(self.settings.editor), "root": str(self.root)}  # /admin/ and edit links (kb.editor)
        if self.rebuilds is not None:
            self.rebuilds.reuse_indexes(catalogue)
        for p in problems:
            if p.severity == "warning" and (line := p.format()) not in self.said:
                log.warning(line)
                self.said.add(line)
        if errors(problems) and self.preview and self.drafts is None:
            return self._show_problems(files, config, errors(problems))
        if errors(problems) and not self.preview:
            raise BuildFailed(problems_message(errors(problems)))
        if not self.serving and self.settings.speed.index_writer:  # beside the site (<site_dir>.search/), while the rest is made
            from kb.speed.index_writer import BackgroundIndex

            previous, source = self.cached.search_start() if self.cached is not None else (None, None)
            target = index_dir_for(Path(self.final_site_dir or config.site_dir))
            self.index_build = BackgroundIndex(catalogue, target, previous=previous, source=source)
        _keep_published(files, config, self.files, papers=kept_sources(catalogue))
        reused = self.rebuilds.generated_pages(catalogue, generated_pages) if self.rebuilds else None
        try:
            self.pages = plan_pages(catalogue, reused)
        except PageClash as exc:
            raise BuildFailed(f"The site was not built: {exc}") from None
        if self.drafts is not None:  # each draft left out: its page lists what to fix in it
            self.pages = {**self.pages, **self.drafts.pages()}
        _add_pages(files, config, self.pages.values())
        try:
            planned = self.rebuilds.plan_files(catalogue, planned_files) if self.rebuilds else plan_files(catalogue)
        except EditorSetupError as exc:  # the browser editor asked for in mkdocs.yml, but not set up
            raise BuildFailed(f"The site was not built: {exc}") from None
        for path, content in planned.items():
            files.append(File.generated(config, path, content=content))
        if self.rebuilds is not None:
            banner = repr(self.drafts.problems) if self.drafts is not None else ""  # a new banner: every page redone
            self.rebuilds.mark(files, catalogue, self.pages, (Path(config.config_file_path).read_bytes(), banner))
        if self.recycled:  # before anything is written into it: only the files the cache gives stay
            assert self.cached is not None
            self.cached.pages.clear_recycled(Path(config.site_dir))
        return files

    def _leave_out_drafts(self, problems: list[Problem]) -> Catalogue:
        """Preview: when only drafts have errors, those drafts are left out and listed on top of every page."""
        from kb.site.preview import draft_paths, draft_problems, only_drafts

        assert self.catalogue is not None
        if only_drafts(problems, draft_paths(self.catalogue, self.files.entries, self.root)):
            self.drafts = draft_problems(problems, self.files.entries)
            self.catalogue = leaving_out(self.catalogue, set(self.drafts.refs.values()))
            new = [line for p in sort_for_people(problems) if (line := p.format()) not in self.said]  # once a session
            if new:
                log.error("Drafts left out of the preview until fixed (the rest of the site is shown):\n%s", "\n".join(new))
                self.said.update(new)
        return self.catalogue

    def _show_problems(self, files: Files, config: Any, problems: list[Problem]) -> Files:
        """Preview only: log the problems and put their list in place of every page, keeping the server alive."""
        from kb.site.preview import entry_src_uris, error_html, error_pages

        log.error(problems_message(problems))
        self.error_html = error_html(problems)
        if self.rebuilds is not None:
            self.rebuilds.reset()
        _keep_published(files, config, self.files)
        self.pages = error_pages(problems, set(self.pages) | entry_src_uris(self.root))
        _add_pages(files, config, self.pages.values())
        if self.catalogue is not None:  # kb edit: the browser editor stays, to put right what is wrong
            from kb.editor.pages import admin_files

            try:
                for path, content in admin_files(self.catalogue).items():
                    files.append(File.generated(config, path, content=content))
            except EditorSetupError as exc:
                log.error(str(exc))
        return files

    # -- on_nav, on_env, on_serve -------------------------------------------------------------------
    def nav(self, nav: Any, config: Any, files: Files) -> None:
        """kb serve: titles of skipped pages; kb build: the entry pages queued for two processes (forked in env())."""
        if self.rebuilds is not None:
            self.rebuilds.restore_titles(nav, files)
        from kb.speed.page_worker import MIN_PAGES, PageWorker

        if wanted(self.settings.speed.parallel) and self.may_split and self.building_dir and not self.error_html:
            warm = self.cached.pages if self.cached is not None else None
            report = (lambda uris: warm.worker_report(uris, self.catalogue)) if warm is not None else None
            self.worker = PageWorker.start(config, files, nav, self.pages, report, min_pages=MIN_PAGES if warm else 0)

    def env(self, env: Any, config: Any) -> Any:
        # Known before any page is rendered, from the theme alone: no page body can add to them.
        self.script_hashes = theme_script_hashes(env, config)
        if self.rebuilds is not None:
            env.bytecode_cache = self.rebuilds.bytecode_cache
        if self.settings.speed.theme_memo:
            from kb.speed import theme_memo

            theme_memo.install(env)  # Material's navigation and other page-independent parts rendered once per link shape
            theme_memo.unbounded_cache(env)
            theme_memo.dict_lookups(env)  # `d.key` on a dict without an AttributeError raised first
        if self.worker is not None:  # forked now, inheriting the environment and the navigation's pages, read
            self.worker.begin(env)
        return env

    def watch(self, server: Any) -> None:
        """Only local requests are answered; entries in register/ live outside docs_dir: watch them too; saves are
        heard from the OS, not polled. (MkDocs' preview server is a wsgiref WSGIServer: get_app/set_app are its own.)"""
        server.set_app(only_local(server.get_app(), server.server_address[1]))
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
            if self.catalogue is not None:
                page.meta["kb_card"] = card_for(virtual, self.catalogue)  # the picture shown when the page is shared

    def page_content(self, html: str, page: Any) -> str:
        """An entry page's facts, sanitised body and links; a generated page's own content."""
        virtual = self.pages.get(page.file.src_uri)
        if virtual is None:  # a hand-written page (content/about/...): sanitised like an entry body
            html = sanitize_html(html)
            return self.error_html + html if self.error_html else self._banner(page) + html
        context, content = self.rebuilds.made_for(page.file.src_uri) if self.rebuilds else (None, None)
        assert self.catalogue is not None
        if virtual.entry is not None:
            context = context or entry_context(virtual.entry, self.catalogue)
            if self.cached is not None:  # what the page shows, for the next build to compare with
                self.cached.pages.record_page(virtual, page.url, self.catalogue, context, None)
            html = render_entry(virtual.entry, html, page.url, self.catalogue, context)
            page.toc = contents(section_headings(html))
            return self._banner(page) + html
        if content is None and virtual.render_html:
            content = virtual.render_html(page.url)
        if self.cached is not None:
            self.cached.pages.record_page(virtual, page.url, self.catalogue, None, content)
        return self._banner(page) + with_title_anchor(content if content is not None else html, page.toc or ())

    def _banner(self, page: Any) -> str:
        """Preview with drafts left out for their errors: their problems on top of the page."""
        return self.drafts.banner(page.url) if self.drafts is not None else ""

    def with_policy(self, output: str) -> str:
        """A built page with its Content-Security-Policy (not when serving: live reload injects an inline script)."""
        return output if self.serving else add_csp_meta(output, allowed=self.script_hashes)

    # -- the end ----------------------------------------------------------------------------------
    def finish(self, config: Any) -> None:
        """Wait for the second processes and the search index, then swap the new site and index in together."""
        if self.worker is not None:  # its pages are part of the site: wait for them before anything is swapped in
            if self.cached is not None:  # while the worker renders on, before this process helps it
                self.cached.save_checked()
            self.worker.help()  # the entry pages the worker has not taken yet
            worker, self.worker = self.worker, None
            try:
                done = worker.finish()
            except RuntimeError as exc:
                raise BuildFailed(f"The site was not built: {exc}") from None
            log.info("kb: %d pages built by a second process (peak %s MiB)", done["pages"], done["peak_mib"])
            if self.cached is not None and "report" in done:
                self.cached.pages.take_report(done["report"])
        if self.catalogue is not None and not self.error_html:
            self._finish_index(config)
        if self.rebuilds is not None:
            self.rebuilds.finish()
        final = Path(self.final_site_dir or config.site_dir)
        swaps = [(Path(config.site_dir), final)] if self.final_site_dir else []
        if self.index_ready is not None:  # after the site, so a failed site swap leaves the old index too (swap_all)
            swaps.append((self.index_ready, index_dir_for(final)))
        spares = {final: spare_dir_for(final)} if self.cached is not None and self.final_site_dir else {}
        self._end_removal()  # the spare's name is free again before the previous site takes it
        try:
            swap_all(swaps, spares)
        except OSError as exc:
            raise BuildFailed(
                f"The site was not built: {failure_words(exc)} The previous site and its index are unchanged."
            ) from None
        self.index_ready = None
        if self.final_site_dir:
            config.site_dir, self.final_site_dir, self.building_dir = self.final_site_dir, None, None

    def _finish_index(self, config: Any) -> None:
        """The new index written beside the site (into self.index_ready, swapped in by finish); kb serve's in place."""
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
                self.index_ready = index_build.wait()
            except RuntimeError as exc:
                raise BuildFailed(f"The site was not built: {exc}") from None
            if self.cached is not None:
                self.cached.finish(Path(config.site_dir), self.catalogue, self.index_ready, index_build.state)
        else:  # <site_dir>.search/ beside the site, never inside it (see search/index.py)
            building, fast = (
                building_dir(index_dir_for(Path(self.final_site_dir or config.site_dir))),
                self.settings.speed.index_writer,
            )
            if self.cached is not None:
                state = self.cached.write_index(self.catalogue, building, fast)
                self.cached.finish(Path(config.site_dir), self.catalogue, building, state)
            else:
                write_index(catalogue_documents(self.catalogue), manifest(self.catalogue), building, fast=fast)
            self.index_ready = building

    def _end_removal(self) -> None:
        if self.removal is not None:
            removal, self.removal = self.removal, None
            removal.wait()

    def abandon(self) -> None:
        """The build failed: stop the second processes and remove the half-built folders."""
        self._end_removal()
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
        if self.index_build is not None:
            self.index_build.cancel()
            self.index_build = None
        if self.index_ready is not None:
            shutil.rmtree(self.index_ready, ignore_errors=True)
            self.index_ready = None
        if self.building_dir:
            shutil.rmtree(self.building_dir, ignore_errors=True)
            self.building_dir = self.final_site_dir = None


def _keep_published(files: Files, config: Any, project: ProjectFiles, papers: frozenset[str] = frozenset()) -> None:
    """Of the files MkDocs found in docs_dir, keep only the hand-written pages, allowed static files and the papers
    visible minutes name: entries and data files are read by the catalogue, and nothing else (backups, office files,
    HTML, stray Markdown, a hidden meeting's papers) is published."""
    published = project.published() | papers
    for file in list(files):
        if file.src_dir == config.docs_dir and file.src_uri not in published:  # theme and generated files have other src_dirs
            files.remove(file)


def _add_pages(files: Files, config: Any, pages: Any) -> None:
    """Each planned page as a generated file (replacing a hand-written file at the same place, like content/index.md)."""
    for page in pages:
        existing = files.src_uris.get(page.src_uri)  # src_uri is POSIX already: no path parsing per page
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
