"""Every use of MkDocs' undocumented names, behind one wall (MkDocs 1.6 and ProperDocs 1.6 alike).

The speed-ups of speed/ reach past MkDocs' plugin API in four places: a File's answer to the
dirty-build question (kb serve's incremental rebuilds, the page worker), the functions MkDocs'
build runs for one page (the page worker), the live-reload server's observer (the watcher), and
how a Page works out its canonical address (plain_urls).
They do so only through the functions here. `check()` says in words what no longer has the shape
these functions expect; tests/speed/test_mkdocs_internals.py fails loudly on it, and every
speed-up can be switched off in mkdocs.yml (`speed:` in the kb plugin's settings), which leaves
a plain MkDocs build, byte for byte the same.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer
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
