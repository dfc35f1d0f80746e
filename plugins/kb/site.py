"""What the site contains beyond the hand-written pages: a page per entry and the generated pages.

Pure functions over the catalogue; the MkDocs plugin only turns these into virtual files.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Callable

from .catalogue import Catalogue, Entry
from .render import render
from .sanitize import sanitize_html


@dataclass
class VirtualPage:
    """A page the build generates: an entry's page, or a listing made from the catalogue."""

    src_uri: str
    title: str
    description: str = ""
    entry: Entry | None = None
    # For generated pages: given the page's own URL, the finished HTML of its content.
    render_html: Callable[[str], str] | None = None
    meta: dict = field(default_factory=dict)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page's directory URL to another's, so the site works under any base path."""
    base = from_url or "."
    rel = posixpath.relpath(to_url or ".", base)
    return (rel + "/") if to_url.endswith("/") and rel != "." else ("./" if rel == "." else rel)


# Generators of further pages register here: each takes the catalogue, returns VirtualPages.
PAGE_GENERATORS: list[Callable[[Catalogue], list[VirtualPage]]] = []


def plan_pages(catalogue: Catalogue) -> dict[str, VirtualPage]:
    """Every generated page of the site, keyed by source path, from the one catalogue."""
    pages = {e.src_uri: VirtualPage(e.src_uri, e.title, e.summary, entry=e) for e in catalogue.entries.values()}
    for generate in PAGE_GENERATORS:
        for page in generate(catalogue):
            pages[page.src_uri] = page
    return pages


def render_entry(entry: Entry, body_html: str, page_url: str, catalogue: Catalogue) -> str:
    """The full content of an entry page: header of facts, sanitised body, links to related learning."""
    def url(target: str) -> str:
        return relative_url(page_url, target)

    context = dict(entry=entry, meta=entry.meta, cat=catalogue, url=url)
    header = render("entry_header.html", **context)
    footer = render("entry_footer.html", **context)
    return header + sanitize_html(body_html) + footer
