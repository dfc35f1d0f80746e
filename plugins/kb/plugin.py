"""The MkDocs plugin: thin hooks over one BuildSession per build (building/session.py).

on_files swaps entry sources for pages generated from the catalogue (so nothing unpublished can
be built), the page hooks add each entry's facts and links, and the build is written to a
temporary folder that replaces the site only when everything succeeded. Each hook checks that
the plugin is enabled and hands its work to the session.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import BasePlugin, event_priority

from kb.building.session import BuildSession
from kb.config import KnowledgeBaseConfig
from kb.speed.memory import BuildMemory
from kb.speed.rebuilds import IncrementalServe


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.rebuilds: IncrementalServe | None = None  # kb serve: what the last build made, kept between rebuilds
        self.memory = BuildMemory()  # kb build's use of the garbage collector (speed/memory.py)
        self.session: BuildSession | None = None  # the build under way
        self.said: set[str] = set()  # kb serve: the warnings already printed this session, not repeated on every save

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs keeps this instance for the whole process: everything of the last session is reset here.
        self.serving, self.dirty = command == "serve", dirty
        self.said = set()
        self.rebuilds = IncrementalServe() if self.serving and dirty and self.config.speed.incremental else None
        if command == "build" and self.config.speed.memory:
            self.memory.start()

    def on_shutdown(self) -> None:
        self.memory.end()
        if self.rebuilds is not None:
            self.rebuilds.close()
        self.rebuilds = self.session = None

    def on_config(self, config: Any) -> Any:
        from kb.speed.mkdocs_internals import plain_urls, reuse_markdown

        plain_urls(self.config.enabled and self.config.speed.plain_urls)
        reuse_markdown(self.config.enabled and self.config.speed.markdown_reuse)
        self.session = (
            BuildSession(self.config, config, serving=self.serving, dirty=self.dirty, rebuilds=self.rebuilds, said=self.said)
            if self.config.enabled
            else None
        )
        return config

    def on_pre_build(self, *, config: Any) -> None:
        if self.session is not None:
            self.session.walk()

    @event_priority(50)
    def on_files(self, files: Any, *, config: Any) -> Any:
        if self.session is None:
            return files
        files = self.session.plan(files, config)
        self.memory.keep()  # kb build: the catalogue and the planned pages live to the end of the build
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        if self.session is not None:
            self.session.nav(nav, config, files)
        return nav

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        return self.session.env(env, config) if self.session is not None else env

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if self.session is not None:
            self.session.watch(server)
        return server

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        if self.session is not None:
            self.session.page_meta(page)
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        return self.session.page_content(html, page) if self.session is not None else html

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return self.session.with_policy(output) if self.session is not None else output

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        if self.session is None or not template_name.endswith(".html"):  # 404.html is a theme template, not a page
            return output_content
        return self.session.with_policy(output_content)

    def on_post_build(self, *, config: Any) -> None:
        if self.session is not None:
            self.session.finish(config)

    def on_build_error(self, *, error: Exception) -> None:
        if self.session is not None:
            self.session.abandon()
