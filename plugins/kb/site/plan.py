"""Every generated page of the site, planned from the one catalogue.

Pure functions over the catalogue; the MkDocs plugin only turns these into virtual files.
Feature modules contribute pages through GENERATORS and entry-page context through ENTRY_CONTEXT.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kb.board.pages import board_context, board_pages
from kb.content.catalogue import Catalogue, Entry
from kb.content.fingerprints import digest, settings, shape_digest
from kb.editor.pages import admin_files, editor_context
from kb.feeds.atom import feed_files
from kb.feeds.calendar import calendar_files
from kb.meetings.pages import meeting_context, meeting_files, meeting_pages
from kb.meetings.papers import published_papers
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render
from kb.pages.sanitize import sanitize_html
from kb.search.page import search_files, search_pages
from kb.site.backlinks import backlinks_context
from kb.site.contribute import contribute_pages
from kb.site.entry_facts import entry_facts_context
from kb.site.home import home_pages
from kb.site.listings import listing_files, listing_pages
from kb.site.offline import offline_files
from kb.site.related import prepare as prepare_related
from kb.site.related import related_context
from kb.site.social import card_files
from kb.site.tags import tag_pages

# Each takes the catalogue and returns the VirtualPages it adds (listings, tags, tracker, digest...).
GENERATORS: tuple[Callable[[Catalogue], list[VirtualPage]], ...] = (
    listing_pages,
    tag_pages,
    home_pages,
    meeting_pages,
    contribute_pages,
    board_pages,
    search_pages,
)

# Each takes the catalogue and returns {site path: text or bytes} of non-page files (feeds, calendars, CSV...).
FILE_GENERATORS: tuple[Callable[[Catalogue], Mapping[str, str | bytes]], ...] = (
    listing_files,
    meeting_files,
    calendar_files,
    feed_files,
    search_files,
    admin_files,
    card_files,
    offline_files,
)

# The entry types a file generator reads, for those that read only some (and the settings every page shows): after an
# edit to an entry of another type, a warm build or kb serve keeps that generator's files from the last build
# (planned_files). A generator not named here reads the whole catalogue.
FILE_READS: dict[str, tuple[str, ...]] = {
    "meeting_files": ("minutes", "network"),  # the tracker's rows: minutes' actions, networks' titles
    "calendar_files": ("minutes", "network"),  # every meeting: minutes, and the dates and titles networks give
    "card_files": ("network",),  # a card per network (its title), per entry type and the site's
}

# Each takes (entry, catalogue) and returns extra template variables for that entry's page.
ENTRY_CONTEXT: tuple[Callable[[Entry, Catalogue], dict], ...] = (
    entry_facts_context,
    backlinks_context,
    related_context,
    meeting_context,
    board_context,
    editor_context,
)


class PageClash(ValueError):
    """An entry's page and a generated page would have the same address; the message names both."""


# Each makes, once per build, an index that entry pages read, before any page is rendered (so a page
# worker forked later inherits it rather than making it again).
PREPARE: tuple[Callable[[Catalogue], None], ...] = (prepare_related,)


def plan_pages(catalogue: Catalogue, generated: dict[str, VirtualPage] | None = None) -> dict[str, VirtualPage]:
    """Every generated page, keyed by source path: one per entry, then GENERATORS' (pass `generated`
    to reuse an earlier generated_pages result made from a catalogue of the same shape). An entry page
    is never silently replaced: a clash raises PageClash (kb check refuses the names that would clash)."""
    for prepare in PREPARE:
        prepare(catalogue)
    pages = {e.src_uri: VirtualPage(e.src_uri, e.title, e.summary, entry=e) for e in catalogue.entries.values()}
    made = generated_pages(catalogue) if generated is None else generated
    clash = next((uri for uri in made if uri in pages), None)
    if clash is not None:
        entry = pages[clash].entry
        assert entry is not None  # every page made above is an entry's
        raise PageClash(
            f"{entry.path} would be published at the address of a page the site makes itself ({clash[:-3]}/); "
            "give the entry another file name."
        )
    pages.update(made)
    return pages


# Generated pages (listings, tracker, digests, tags, search...) use the full width: Material's left sidebar
# would hold only the page's own name and its table of contents nothing (their headings come from templates).
# A generator that wants the sidebars (the contribute page, beside the guide) sets "hide" itself.
FULL_WIDTH = ("navigation", "toc")


def generated_pages(catalogue: Catalogue) -> dict[str, VirtualPage]:
    """The pages GENERATORS make from the catalogue (listings, tags, tracker, digests...), keyed by source path."""
    made = {page.src_uri: page for generate in GENERATORS for page in generate(catalogue)}
    for page in made.values():
        page.meta.setdefault("hide", list(FULL_WIDTH))
    return made


Planned = dict[str, tuple[str | None, dict[str, str | bytes] | None]]


def plan_files(catalogue: Catalogue) -> dict[str, str | bytes]:
    """Every generated non-page file, keyed by its path in the site."""
    return {path: content for _, files in planned_files(catalogue).values() if files for path, content in files.items()}


def planned_files(catalogue: Catalogue, last: Mapping[str, str | None] | None = None) -> Planned:
    """Each file generator's name -> (a digest of what it reads, None where it reads the whole catalogue; its files).
    The files are None where the digest is the one in `last` (the generator's name -> its digest in the last build):
    the last build's files of that generator still hold."""
    shown = digest(settings(catalogue))
    planned: Planned = {}
    for generate in FILE_GENERATORS:
        name = generate.__name__
        reads = FILE_READS.get(name)
        key = None if reads is None else digest(shown, [shape_digest(e) for t in reads for e in catalogue.of_type(t)])
        kept = key is not None and last is not None and last.get(name) == key
        planned[name] = (key, None if kept else dict(generate(catalogue)))
    return planned


def kept_sources(catalogue: Catalogue) -> frozenset[str]:
    """Files under the entry folders the build copies as they are (docs-relative paths): the visible meetings' papers."""
    return frozenset(published_papers(catalogue))


def entry_context(entry: Entry, catalogue: Catalogue) -> dict:
    """Every template variable of an entry page but its URL: what it shows, for rendering and for change detection."""
    context = dict(entry=entry, meta=entry.meta, cat=catalogue)
    for extra in ENTRY_CONTEXT:
        context.update(extra(entry, catalogue))
    return context


def render_entry(entry: Entry, body_html: str, page_url: str, catalogue: Catalogue, context: dict | None = None) -> str:
    """The content of an entry page: header of facts, sanitised body, links to related learning."""
    context = dict(context or entry_context(entry, catalogue), url=lambda target: relative_url(page_url, target))
    return render("entry_header.html", **context) + sanitize_html(body_html) + render("entry_footer.html", **context)
