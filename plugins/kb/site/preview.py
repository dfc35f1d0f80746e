"""Live preview (`kb serve` only): content errors become a page in the browser instead of a dead server.

When the content has errors the preview replaces every page it knows of with one page listing
the problems, so whichever page the contributor has open shows what to fix after the reload.
"""

from __future__ import annotations

from pathlib import Path

from kb.content.loader import discover
from kb.content.problems import Problem, sort_for_people
from kb.content.urls import entry_ref, src_uri
from kb.pages.page import VirtualPage
from kb.pages.render import render

ERROR_TITLE = "The preview cannot show the site yet"


def error_html(problems: list[Problem]) -> str:
    """The problems, grouped by file as `kb check` prints them, as page content (autoescaped)."""
    listed = sort_for_people(problems)
    by_file: dict[str, list[Problem]] = {}
    for p in listed:
        by_file.setdefault(p.path, []).append(p)
    return render("preview_errors.html", by_file=by_file, count=len(listed), title=ERROR_TITLE)


def entry_src_uris(root: Path) -> set[str]:
    """The page of every entry file, whatever its state, so an open page reloads to the error list."""
    return {src_uri(entry_ref(rel, etype)[0]) for rel, etype in discover(root)[0]}


def error_pages(problems: list[Problem], src_uris: set[str]) -> dict[str, VirtualPage]:
    """Every known page replaced by the list of problems."""
    html = error_html(problems)
    return {
        uri: VirtualPage(uri, ERROR_TITLE, "Problems in the content", render_html=lambda _url: html)
        for uri in sorted(src_uris | {"index.md"})
    }
