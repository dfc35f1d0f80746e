"""Listings: everything (`browse/`) and one per type, newest first, paged at build time.

Each listing is static pages of PER_PAGE cards (the first page works without JavaScript and
stays light at 10,000 entries) plus one compact rows file the browser fetches only when a
reader filters. The networks listing is a grid of hubs instead.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from kb.content.catalogue import Catalogue, Entry
from kb.content.model import ENTRY_TYPES
from kb.content.urls import network_ref
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render
from kb.site.facets import ROW_COLUMNS, facet_counts, facet_options, listing_rows

PER_PAGE = 50


@dataclass(frozen=True)
class Listing:
    """One listing: its URL prefix, heading, intro and which entry types it holds."""

    prefix: str
    title: str
    intro: str
    types: tuple[str, ...]


LISTINGS: tuple[Listing, ...] = (
    Listing(
        "browse",
        "Browse everything",
        "Every case study, meeting, piece of research, learning summary and good practice, newest first.",
        ("case-study", "minutes", "research", "learning-summary", "register-entry"),
    ),
    Listing(
        "case-studies", "Case studies", "What networks tried, what happened and what others can take from it.", ("case-study",)
    ),
    Listing("minutes", "Meetings and minutes", "Minutes of past meetings and agendas of meetings to come.", ("minutes",)),
    Listing(
        "research", "Research of the month", "Readings our networks discussed, with what they took from them.", ("research",)
    ),
    Listing(
        "summaries", "Learning summaries", "What the networks learned each term, written for the board.", ("learning-summary",)
    ),
    Listing(
        "register",
        "Good-practice register",
        "Practice that schools and colleges offer to share, nominated by their peers.",
        ("register-entry",),
    ),
)


def listing_entries(cat: Catalogue, listing: Listing) -> list[Entry]:
    """The listing's entries, newest first (the catalogue's order)."""
    wanted = set(listing.types)
    return [e for e in cat.entries.values() if e.type in wanted]


def page_url(prefix: str, number: int) -> str:
    """Site URL of page `number` of a listing: browse/, browse/page/2/ ..."""
    return f"{prefix}/" if number == 1 else f"{prefix}/page/{number}/"


def page_numbers(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, math.ceil(total / per_page))


def listing_pages(cat: Catalogue) -> list[VirtualPage]:
    """Every page of every listing, and the networks grid."""
    pages = []
    for listing in LISTINGS:
        entries = listing_entries(cat, listing)
        options = facet_options(cat, facet_counts(entries))
        count = page_numbers(len(entries))
        for number in range(1, count + 1):
            chunk = entries[(number - 1) * PER_PAGE : number * PER_PAGE]
            src = f"{listing.prefix}/index.md" if number == 1 else f"{listing.prefix}/page/{number}/index.md"
            title = listing.title if number == 1 else f"{listing.title}, page {number} of {count}"
            pages.append(
                VirtualPage(
                    src,
                    title,
                    listing.intro,
                    meta={"nav": number == 1},
                    render_html=_renderer(cat, listing, chunk, options, number, count, len(entries)),
                    shows=_shown((listing, chunk, options, number, count, len(entries))),
                )
            )
    pages.append(
        VirtualPage(
            "networks/index.md",
            "Networks",
            "The alliance's networks: what each is for, how it works and what it has learned.",
            meta={"nav": True},
            render_html=lambda url: render(
                "networks_index.html", cat=cat, networks=list(cat.networks.values()), url=lambda target: relative_url(url, target)
            ),
        )
    )
    return pages


def browse_by(listing: Listing, options: list[dict]) -> list[dict]:
    """Without JavaScript the filters cannot run: links to the static pages that hold one network, one type
    or one tag instead (phase, approach, brokerage role and year have no page of their own, so no link)."""
    by_facet = {facet["key"]: facet["options"] for facet in options}
    groups = [
        {"label": "Network", "links": [(o["label"], network_ref(o["value"]) + "/") for o in by_facet.get("network", [])]},
        {"label": "Type", "links": [(other.title, other.prefix + "/") for other in LISTINGS if other is not listing]},
        {"label": "Tag", "links": [(o["label"], f"tags/{o['value']}/") for o in by_facet.get("tag", [])]},
    ]
    return [group for group in groups if group["links"]]


def _shown(inputs: tuple) -> Callable[[], object]:
    """What a listing page shows (VirtualPage.shows): its listing, entries, filter counts and page numbers; the
    template reads nothing else but the settings (vocabulary labels, entry types)."""
    return lambda: inputs


def _renderer(cat: Catalogue, listing: Listing, chunk: list[Entry], options: list[dict], number: int, count: int, total: int):
    links = browse_by(listing, options)

    def render_page(url: str) -> str:
        return render(
            "listing.html",
            cat=cat,
            listing=listing,
            entries=chunk,
            facets=options,
            browse_by=links,
            number=number,
            count=count,
            total=total,
            per_page=PER_PAGE,
            page_url=page_url,
            url=lambda target: relative_url(url, target),
        )

    return render_page


def listing_files(cat: Catalogue) -> dict[str, str]:
    """The compact rows file of each listing, fetched by the browser only when a reader filters."""
    types = {name: t.label for name, t in ENTRY_TYPES.items()}
    return {
        f"{listing.prefix}/rows.json": json.dumps(
            {"columns": ROW_COLUMNS, "types": types, "rows": listing_rows(listing_entries(cat, listing))},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for listing in LISTINGS
    }
