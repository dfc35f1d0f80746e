"""The one catalogue: the entries a build may show, filtered once by the privacy rule and indexed once.

Pages, listings, feeds, calendars, digests, the search index and `kb check` all read the
`Catalogue`; nothing downstream opens an entry file or sees an unpublished entry.
The records are made by the loader (loader.py), which reads and checks every file once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from kb.content.model import STATUSES
from kb.content.problems import Problem
from kb.content.urls import entry_url, src_uri

if TYPE_CHECKING:
    from kb.content.terms import Term
    from kb.content.vocabulary import Meaning

T = TypeVar("T")


@dataclass
class Entry:
    """One checked entry: cleaned front matter, Markdown body with links rewritten, outgoing refs."""

    ref: str
    type: str
    path: str
    meta: dict[str, Any]
    body: str
    links: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # field -> line in the file
    # Results of pure functions of this entry (hashes, per-entry checks), kept with it: an Entry is never
    # mutated, and kb serve reuses unchanged ones between rebuilds (entry_cache), so these are computed once.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __reduce__(self) -> tuple[Callable[..., Entry], tuple[Any, ...]]:
        """Pickled as its constructor's arguments: the build cache saves 10,000 entries at a time (speed/build_cache.py)."""
        return Entry, (self.ref, self.type, self.path, self.meta, self.body, self.links, self.lines, self.memo)

    def remembered(self, name: str, compute: Callable[[Entry], T]) -> T:
        """compute(self), worked out once and kept in memo under `name`."""
        if name not in self.memo:
            self.memo[name] = compute(self)
        value: T = self.memo[name]
        return value

    @property
    def slug(self) -> str:
        return self.ref.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return entry_url(self.ref)

    @property
    def src_uri(self) -> str:
        return src_uri(self.ref)

    @property
    def title(self) -> str:
        meta = self.meta  # the slug worked out only when there is no title: every card, link and row reads a title
        title: str = meta["title"] if "title" in meta else self.slug  # noqa: SIM401 (get() would work out the slug every time)
        return title

    @property
    def summary(self) -> str:
        summary: str = self.meta.get("summary", "")
        return summary

    @property
    def date(self) -> dt.date | None:
        date: dt.date | None = self.meta.get("date")
        return date

    @property
    def networks(self) -> list[str]:
        networks: list[str] = [self.slug] if self.type == "network" else self.meta.get("networks", [])
        return networks

    @property
    def tags(self) -> list[str]:
        tags: list[str] = self.meta.get("tags", [])
        return tags

    @property
    def status(self) -> str:
        status: str = self.meta.get("status", "draft")
        return status

    @property
    def draft_label(self) -> str:
        """The preview's badge words for an entry not published; "" when published (a public build holds no other)."""
        status = self.status
        return "" if status == "published" else "Draft (in review)" if status == "review" else "Draft"

    @property
    def visibility(self) -> str:
        visibility: str = self.meta.get("visibility", "public")
        return visibility


@dataclass
class Catalogue:
    """The entries a build may show, with the indexes every page is generated from."""

    entries: dict[str, Entry]  # newest first
    tags: dict[str, dict[str, Any]]
    members: bool
    today: dt.date
    by_type: dict[str, list[str]] = field(default_factory=dict)
    by_network: dict[str, list[str]] = field(default_factory=dict)
    by_tag: dict[str, list[str]] = field(default_factory=dict)
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict, repr=False)
    preview: bool = False  # `kb serve` only: drafts and members entries included, each marked as such
    left_out: frozenset[str] = frozenset()  # paths of the entries the privacy rule keeps out of this build
    terms: list[Term] = field(default_factory=list)  # school terms from content/terms.yml (kb.content.terms.Term), oldest first
    # other spellings of organisations -> the name to count them under, from content/organisations.yml (set by kb.project)
    organisation_aliases: dict[str, str] = field(default_factory=dict)
    vocabulary: dict[str, dict[str, Meaning]] = field(default_factory=dict)  # what each value means (content/vocabulary.py)
    site_url: str = ""  # mkdocs site_url, set by the plugin: feeds need absolute links
    site_name: str = ""  # mkdocs site_name, set by the plugin (feed titles)
    search_api: str = (
        ""  # where the search page's script asks (kb serve runs the API on another port); "" = api/search beside the site
    )
    # The browser editor's settings (config.py's `editor`, with the project folder as "root"), set by the
    # plugin; empty or backend "none": no /admin/ and no "Edit this page" (see kb.editor).
    editor: dict[str, Any] = field(default_factory=dict)

    def derive(self, name: str, compute: Callable[[Catalogue], T]) -> T:
        """An index over the catalogue computed once per build, shared by every page that needs it."""
        if name not in self.derived:
            self.derived[name] = compute(self)
        value: T = self.derived[name]
        return value

    def of_type(self, name: str) -> list[Entry]:
        return [self.entries[r] for r in self.by_type.get(name, [])]

    @property
    def networks(self) -> dict[str, Entry]:
        return {self.entries[r].slug: self.entries[r] for r in sorted(self.by_type.get("network", []))}


def is_visible(entry: Entry, members: bool) -> bool:
    """The privacy rule, in one place: only published entries, members ones only in a members build."""
    return entry.status == "published" and (entry.visibility == "public" or members)


def build_catalogue(
    entries: list[Entry], tags: dict[str, dict[str, Any]], *, members: bool, today: dt.date, preview: bool = False
) -> Catalogue:
    """Filter once by the privacy rule, then build every index in one pass each."""
    visible = [e for e in entries if preview or is_visible(e, members)]
    visible.sort(key=lambda e: (e.date or dt.date.min, e.title), reverse=True)
    visible.sort(key=lambda e: e.type == "network")  # stable: networks last, others newest first
    cat = Catalogue({e.ref: e for e in visible}, tags, members, today, preview=preview)
    cat.left_out = frozenset(e.path for e in entries if e.meta.get("status") in STATUSES and not is_visible(e, members))
    by_type, by_network, by_tag, backlinks = (defaultdict(list) for _ in range(4))
    for e in visible:
        by_type[e.type].append(e.ref)
        for n in e.networks:
            if e.type != "network":
                by_network[n].append(e.ref)
        for t in e.tags:
            by_tag[t].append(e.ref)
        for target in dict.fromkeys(e.links):
            if target in cat.entries and target != e.ref:
                backlinks[target].append(e.ref)
    cat.by_type, cat.by_network, cat.by_tag, cat.backlinks = dict(by_type), dict(by_network), dict(by_tag), dict(backlinks)
    return cat


def withhold_hidden(problems: list[Problem], catalogue: Catalogue) -> list[Problem]:
    """Problems for a build's log: those of an entry this build leaves out by the privacy rule (a draft, a
    members-only entry in the public build) keep their place but not their words, which may quote it."""
    return [_withheld(p) if p.path in catalogue.left_out else p for p in problems]


def _withheld(problem: Problem) -> Problem:
    return Problem(
        problem.path,
        problem.line,
        problem.field,
        "(not shown here: this entry is not part of this build, and the build log may be read by anyone).",
        "run `kb check` on your own machine to read it.",
        problem.severity,
    )


def leaving_out(catalogue: Catalogue, refs: set[str]) -> Catalogue:
    """The same catalogue without some entries, its indexes made again (the preview leaves out drafts with errors)."""
    if not refs:
        return catalogue
    kept = [e for ref, e in catalogue.entries.items() if ref not in refs]
    smaller = build_catalogue(kept, catalogue.tags, members=catalogue.members, today=catalogue.today, preview=catalogue.preview)
    smaller.left_out, smaller.terms = catalogue.left_out, catalogue.terms
    smaller.organisation_aliases, smaller.vocabulary = catalogue.organisation_aliases, catalogue.vocabulary
    return smaller
