"""Live preview (`kb serve` only): content errors are shown in the browser instead of a dead server.

Errors only in drafts (entries not `status: published`) leave those drafts out and the rest of the site
shown, with a banner on top of every page listing the problems; each draft's own page lists what to fix.
Any other error (a published entry, tags.yml, a hand-written page) replaces every page with the list of
problems, as `kb build` would refuse to build: a published page is never shown as if it were fine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.content.catalogue import Catalogue
from kb.content.loader import discover
from kb.content.model import EntryType
from kb.content.problems import Problem, sort_for_people
from kb.content.urls import entry_ref, entry_url, src_uri
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render

ERROR_TITLE = "The preview cannot show the site yet"
DRAFT_TITLE = "This draft cannot be shown yet"
BANNER_FILES = 10  # files listed in the banner; the rest are counted (kb check lists them all)
# A file too broken to read (a tab in its YAML) still says whether it is published, on a line of its own.
_PUBLISHED = re.compile(r"^status:[ \t]*['\"]?published['\"]?[ \t]*(#.*)?$", re.M)


def by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for p in sort_for_people(problems):
        grouped.setdefault(p.path, []).append(p)
    return grouped


def error_html(problems: list[Problem], title: str = ERROR_TITLE) -> str:
    """The problems, grouped by file as `kb check` prints them, as page content (autoescaped)."""
    grouped = by_file(problems)
    return render("preview_errors.html", by_file=grouped, count=len(problems), title=title, draft=title == DRAFT_TITLE)


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


def draft_paths(catalogue: Catalogue, entry_files: Iterable[tuple[str, EntryType]], root: Path) -> set[str]:
    """The entry files that are not published: read (the preview's catalogue holds every entry read, whatever
    its status) or, for a file too broken to read, not saying `status: published` on a line of its own."""
    read = {e.path: e.status for e in catalogue.entries.values()}
    drafts = set()
    for rel, _ in entry_files:
        status = read.get(rel)
        if status is not None:
            if status != "published":
                drafts.add(rel)
        elif _unpublished_file(root / rel):
            drafts.add(rel)
    return drafts


def _unpublished_file(path: Path) -> bool:
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return False  # cannot tell: it stops the preview, as it stops the build
    return _PUBLISHED.search(text) is None


def only_drafts(problems: list[Problem], drafts: set[str]) -> bool:
    """Every problem is in a draft's file: the preview can still show the rest of the site."""
    return all(p.path in drafts for p in problems)


@dataclass(frozen=True)
class DraftProblems:
    """Drafts left out of the preview for their errors: their problems and where each draft's page is."""

    problems: tuple[Problem, ...]
    refs: dict[str, str]  # file -> the reference of its entry (its page lists the file's problems)
    # The banner as rendered for each set of links: pages at the same depth share one (10,000 pages, a few renders).
    rendered: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False, repr=False)

    def pages(self) -> dict[str, VirtualPage]:
        """Each draft's page: only its own problems, so an open page reloads to what to fix in it."""
        grouped = by_file(list(self.problems))
        pages = {}
        for path, ref in self.refs.items():
            uri = src_uri(ref)
            pages[uri] = VirtualPage(
                uri, DRAFT_TITLE, "Problems in a draft", render_html=_fixed(error_html(grouped[path], DRAFT_TITLE))
            )
        return pages

    def banner(self, page_url: str) -> str:
        """The banner on top of a page at page_url: each draft's problems, with a link to its page."""
        grouped = by_file(list(self.problems))
        listed = list(grouped)[:BANNER_FILES]
        hrefs = tuple(relative_url(page_url, entry_url(self.refs[path])) for path in listed)
        if hrefs not in self.rendered:
            files = [{"path": path, "href": href, "problems": grouped[path]} for path, href in zip(listed, hrefs, strict=True)]
            more = max(0, len(grouped) - BANNER_FILES)
            self.rendered[hrefs] = render(
                "preview_banner.html", files=files, count=len(self.problems), drafts=len(grouped), more=more
            )
        return self.rendered[hrefs]


def _fixed(html: str) -> Callable[[str], str]:
    return lambda _url: html


def draft_problems(problems: list[Problem], entry_files: Iterable[tuple[str, EntryType]]) -> DraftProblems:
    types = dict(entry_files)
    return DraftProblems(tuple(problems), {p.path: entry_ref(p.path, types[p.path])[0] for p in problems})
