"""The shape of a generated page, shared by every module that generates pages."""
from __future__ import annotations

import posixpath
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Callable

from .catalogue import Entry


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
    meta: dict = field(default_factory=dict)


def relative_url(from_url: str, to_url: str) -> str:
    """A link from one page's directory URL to another site URL, so the site works under any base path.

    The same as posixpath.relpath(to_url, from_url) (tested so), without its two os.getcwd() calls:
    an entry page makes dozens of links and a build tens of thousands."""
    start, target = _plain_parts(from_url), _plain_parts(to_url)
    if start is None or target is None:  # ".." or a leading "/": let posixpath normalise
        rel = posixpath.relpath(to_url or ".", from_url or ".")
    else:
        common = 0
        for a, b in zip(start, target):
            if a != b:
                break
            common += 1
        rel = "/".join([".."] * (len(start) - common) + list(target[common:])) or "."
    if rel == ".":
        return "./"
    return rel + "/" if to_url.endswith("/") else rel


@lru_cache(maxsize=4096)
def _plain_parts(url: str) -> tuple[str, ...] | None:
    """A site URL's folders and file ("." dropped), or None when it needs normalising first."""
    parts = tuple(p for p in url.split("/") if p and p != ".")
    return None if url.startswith("/") or ".." in parts else parts
