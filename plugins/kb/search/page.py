"""The `search/` page and the small titles-and-summaries file it falls back to on static hosting.

The page itself is a form and empty regions: kb-search.js asks /api/search and fills them
with textContent; the search service fills them itself for a request with ?q= (server_page.py). Where no search service runs (a plain static host), the script says so and
searches `search/fallback.json` instead: titles and summaries only, no spelling help, and a
download that grows with the site (about 300 bytes per entry), which is the trade-off.
"""

from __future__ import annotations

import json

from kb.content.catalogue import Catalogue
from kb.content.model import ENTRY_TYPES
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render
from kb.search.names import labels as vocabulary_labels
from kb.search.names import phases_of

FALLBACK_FILE = "search/fallback.json"


def search_pages(cat: Catalogue) -> list[VirtualPage]:
    """search/: the search form, filters and results regions."""

    def render_page(page_url: str) -> str:
        return render(
            "search.html", cat=cat, api=cat.search_api, answer=None, facets=[], url=lambda target: relative_url(page_url, target)
        )

    return [
        VirtualPage(
            "search/index.md",
            "Search",
            "Search everything the alliance's networks have written down.",
            meta={"nav": True},
            render_html=render_page,
        )
    ]


def fallback_rows(cat: Catalogue) -> list[dict]:
    """One compact row per visible entry, newest first: what a search without the service can use
    (phases, approach and brokerage roles only where the entry has them, to keep the file small)."""
    rows = []
    for e in cat.entries.values():
        row = {
            "u": e.url,
            "t": e.title,
            "s": e.summary,
            "y": e.type,
            "d": e.date.isoformat() if e.date else "",
            "n": e.networks,
            "g": e.tags,
        }
        optional = {"p": phases_of(e, cat), "a": e.meta.get("approach"), "b": e.meta.get("brokerage"), "x": e.draft_label}
        rows.append(row | {k: v for k, v in optional.items() if v})
    return rows


def search_files(cat: Catalogue) -> dict[str, str]:
    """search/fallback.json: the rows and the names shown beside them."""
    labels = {
        "type": {name: t.label for name, t in ENTRY_TYPES.items()},
        "network": {slug: e.title for slug, e in cat.networks.items()},
        "tag": {tag_id: spec["label"] for tag_id, spec in cat.tags.items()},
        **vocabulary_labels(cat),
    }
    return {FALLBACK_FILE: json.dumps({"labels": labels, "rows": fallback_rows(cat)}, ensure_ascii=False, separators=(",", ":"))}
