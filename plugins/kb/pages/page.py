"""The shape of a generated page, shared by every module that generates pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kb.content.catalogue import Entry
from kb.content.urls import relpath


@dataclass
class VirtualPage:
    """A page the build generates: an entry's page, or a page made from the catalogue."""

    src_uri: str  # e.g. "tags/attendance.md" -> URL tags/attendance/
    title: str
    description: str = ""
    entry: Entry | None = None
    # For generated pages: given the page's own URL, the finished HTML of its content
    # (rendered from a template with `url=lambda target: relative_url(page_url, target)`).
    render_html: Callable[[str], str] | None = None
    # What render_html draws on, as data (entries, counts, page numbers): everything its template reads but the
    # settings and the page's own address. A page that has it is compared between builds by this, not by rendering
    # it (speed/changes.py): a title edit would otherwise render every listing page to find the few that changed.
    shows: Callable[[], object] | None = None
    meta: dict = field(default_factory=dict)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page's directory URL to another site URL, so the site works under any base path."""
    rel = relpath(to_url, from_url)
    if rel == ".":
        return "./"
    return rel + "/" if to_url.endswith("/") else rel
