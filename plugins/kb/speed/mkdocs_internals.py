"""Every use of MkDocs' undocumented names, behind one wall (MkDocs 1.6 and ProperDocs 1.6 alike).

The speed-ups of speed/ reach past MkDocs' plugin API in five places: a File's answer to the
dirty-build question (kb serve's incremental rebuilds, the page worker), the functions MkDocs'
build runs for one page (the page worker), the live-reload server's observer (the watcher),
how a Page works out its canonical address (plain_urls), and the Markdown converter a Page
makes for itself (reuse_markdown).
They do so only through the functions here. `check()` says in words what no longer has the shape
these functions expect; tests/speed/test_mkdocs_internals.py fails loudly on it, and every
speed-up can be switched off in mkdocs.yml (`speed:` in the kb plugin's settings), which leaves
a plain MkDocs build, byte for byte the same.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import threading
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

PAGE_FUNCTIONS = {"_build_page": ("page", "config", "doc_files", "nav", "env"), "_populate_page": ("page", "config", "files")}
SERVER_ATTRIBUTES = ("observer", "_watched_paths", "_watch_refs")


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def set_modified(file: File, modified: bool) -> None:
    """Answer MkDocs' dirty-build question for this one file: an instance attribute shadows File.is_modified."""
    file.is_modified = _modified if modified else _unmodified  # type: ignore[method-assign]


def populate_page(page: Any, config: Any, files: Any) -> None:
    """Read and convert one page's Markdown, as MkDocs' build does for each page."""
    mkdocs_build._populate_page(page, config, files)


def build_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any) -> None:
    """Render and write one converted page, as MkDocs' build does for each page."""
    mkdocs_build._build_page(page, config, doc_files, nav, env)


_MKDOCS_CANONICAL = Page._set_canonical_url
_PLAIN = {"on": False}


def plain_urls(on: bool) -> None:
    """Page addresses by joining strings where urljoin would give the same (speed: plain_urls): MkDocs makes a Page
    for every file on every build and rebuild, and urljoin with urlsplit took a tenth of kb serve's rebuild after a
    save at 10,000 entries. Installed once per process; off, every Page goes through MkDocs' own method."""
    _PLAIN["on"] = on
    if on and Page._set_canonical_url is _MKDOCS_CANONICAL:
        Page._set_canonical_url = _set_canonical_url  # type: ignore[method-assign,assignment]


def _set_canonical_url(page: Any, base: str | None) -> None:
    joined = plain_join(base, page.url) if _PLAIN["on"] and base else None
    if joined is None:
        _MKDOCS_CANONICAL(page, base)
    else:
        page.canonical_url, page.abs_url = joined


def plain_join(base: str, url: str) -> tuple[str, str] | None:
    """(urljoin(base/, url), its path) by concatenation, or None when urljoin might do more than concatenate: a base
    with a query, fragment, parameters or dot segments, a url that is absolute, has a scheme, query, fragment,
    parameters, a backslash or dot segments."""
    base = base if base.endswith("/") else base + "/"
    base_path = _plain_base_path(base)
    if base_path is None or url.startswith("/") or any(c in url for c in ":?#;\\") or _has_dot_segment(url):
        return None
    return base + url, base_path + url


@lru_cache(maxsize=8)
def _plain_base_path(base: str) -> str | None:
    parts = urlsplit(base)
    if not parts.scheme or not parts.netloc or parts.query or parts.fragment or ";" in parts.path or _has_dot_segment(parts.path):
        return None
    return parts.path


def _has_dot_segment(path: str) -> bool:
    return any(segment in (".", "..") for segment in path.split("/"))


_MKDOCS_RENDER = Page.render
# MkDocs 1.6.1's Page.render, which _render_reusing repeats line for line but for where its Markdown comes from.
RENDER_SHA256 = "320529348f7a8af152073d0a3ab02960ccce91f9204716144e51b20931983cc6"
PAGE_PROCESSORS = (
    "_RawHTMLPreprocessor",
    "_ExtractAnchorsTreeprocessor",
    "_RelativePathTreeprocessor",
    "_ExtractTitleTreeprocessor",
)
# Extensions whose reset() clears all a page leaves behind: Python-Markdown's own (reset() between documents is
# its documented way to reuse a converter) and ours. Any other extension: a new converter for every page.
RESETTABLE_PACKAGES = ("markdown.extensions.", "kb.")
_REUSED: dict[str, Any] = {"on": False, "config": None, "markdown": None, "thread": None}


def reuse_markdown(on: bool) -> None:
    """One Markdown converter per build, reset between pages (speed: markdown_reuse). MkDocs makes a new one for
    every page: Python-Markdown then looks up, builds and registers every extension and compiles its patterns
    again, about 0.2-0.3 ms a page. Installed once per process, only over the Page.render it was written for;
    off, or with an extension not known to reset, every page gets its own converter as in MkDocs."""
    _REUSED.update(on=on, config=None, markdown=None)
    if on and Page.render is _MKDOCS_RENDER and _render_known():
        Page.render = _render_reusing  # type: ignore[method-assign]


def _render_known() -> bool:
    source = inspect.getsource(_MKDOCS_RENDER)
    known = hashlib.sha256(source.encode("utf-8")).hexdigest() == RENDER_SHA256
    return known and all(hasattr(getattr(mkdocs_pages, name, None), "_register") for name in PAGE_PROCESSORS)


def _resettable(extension: Any) -> bool:
    if isinstance(extension, str):
        module = extension if "." in extension else f"markdown.extensions.{extension}"
    else:
        module = type(extension).__module__ + "."
    return module.startswith(RESETTABLE_PACKAGES)


def _reused_markdown(config: Any) -> Any:
    """This build's converter, made on its first page; None where a page must have its own."""
    if not _REUSED["on"]:
        return None
    if _REUSED["config"] is not config:  # a new build (kb serve makes a new config for each)
        _REUSED.update(config=config, markdown=None, thread=threading.get_ident())
        if all(map(_resettable, config["markdown_extensions"])):
            import markdown

            _REUSED["markdown"] = markdown.Markdown(
                extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
            )
    elif _REUSED["thread"] != threading.get_ident():  # a converter is not for two threads at once
        return None
    return _REUSED["markdown"]


def _render_reusing(self: Any, config: Any, files: Any) -> None:
    """MkDocs 1.6.1's Page.render with this build's converter, reset, instead of a new one."""
    md = _reused_markdown(config)
    if md is None:
        return _MKDOCS_RENDER(self, config, files)
    if self.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md.reset()

    raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)

    extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(self.file, files, config)
    extract_anchors_ext._register(md)

    relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(self.file, files, config)
    relative_path_ext._register(md)

    extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)

    try:
        self.content = md.convert(self.markdown)
    except BaseException:
        _REUSED["markdown"] = None  # a conversion that stopped half-way may leave state behind: the next page starts anew
        raise
    self.toc = mkdocs_pages.get_toc(getattr(md, "toc_tokens", []))
    self._title_from_render = extract_title_ext.title
    self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
    if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
        self.links_to_anchors = relative_path_ext.links_to_anchors
    return None


def watched_paths(server: LiveReloadServer) -> dict[str, int]:
    """The paths the live-reload server watches, each with how many times it was asked to."""
    return dict(server._watched_paths)


def forget_watches(server: LiveReloadServer) -> None:
    """Drop the server's record of watched paths, after its observer was replaced and unscheduled."""
    server._watched_paths.clear()
    server._watch_refs.clear()


def check() -> list[str]:
    """What no longer has the shape the functions above expect, in words (empty when all is well)."""
    found = []
    for name, params in PAGE_FUNCTIONS.items():
        function = getattr(mkdocs_build, name, None)
        if function is None:
            found.append(
                f"mkdocs.commands.build.{name} is gone: the page worker (mkdocs.yml: speed: parallel) cannot render pages."
            )
        elif tuple(inspect.signature(function).parameters)[: len(params)] != params:
            found.append(f"mkdocs.commands.build.{name} now takes {tuple(inspect.signature(function).parameters)}, not {params}.")
    if not callable(getattr(File, "is_modified", None)):
        found.append("mkdocs.structure.files.File.is_modified is no longer a method: incremental rebuilds cannot mark files.")
    elif hasattr(File, "__slots__") and "is_modified" not in getattr(File, "__slots__", ()):
        found.append("File has __slots__ now: is_modified cannot be answered per file.")
    if tuple(inspect.signature(_MKDOCS_CANONICAL).parameters) != ("self", "base"):
        found.append("Page._set_canonical_url no longer takes (self, base): plain_urls cannot stand in for it.")
    if not _render_known():
        found.append(
            "Page.render is not the one recorded (speed/mkdocs_internals.py RENDER_SHA256), or a class it registers "
            "is gone: each page gets its own Markdown converter again (mkdocs.yml: speed: markdown_reuse)."
        )
    init = inspect.getsource(LiveReloadServer.__init__)
    for attribute in SERVER_ATTRIBUTES:
        if f"self.{attribute}" not in init:
            found.append(
                f"LiveReloadServer no longer sets self.{attribute}: the native watcher (mkdocs.yml: speed: native_watcher) cannot move its watches."
            )
    for method in ("watch", "unwatch"):
        if not callable(getattr(LiveReloadServer, method, None)):
            found.append(f"LiveReloadServer.{method} is gone.")
    return found
