"""Tag pages: an index of every tag with how many visible entries carry it, and one page per tag.

Counts and lists come from the catalogue's by_tag index, so they hold only what this build shows.
"""

from __future__ import annotations

from kb.content.catalogue import Catalogue
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render

TAG_PAGE_ENTRIES = 50  # newest shown on a tag page; Browse filtered by the tag pages through the rest


def tag_rows(cat: Catalogue) -> list[dict]:
    """Every tag with its label and count of visible entries, most used first, then by label."""
    rows = [{**tag, "count": len(cat.by_tag.get(tag_id, []))} for tag_id, tag in cat.tags.items()]
    rows.sort(key=lambda row: (-row["count"], row["label"].lower()))
    return rows


def tag_pages(cat: Catalogue) -> list[VirtualPage]:
    """tags/ and tags/<id>/ for every tag in the vocabulary."""
    rows = tag_rows(cat)
    pages = [
        VirtualPage(
            "tags/index.md",
            "Tags",
            "Every tag used across the alliance's learning, with how many entries carry it.",
            meta={"nav": True},
            render_html=lambda url: render("tags.html", cat=cat, rows=rows, url=lambda target: relative_url(url, target)),
        )
    ]
    for row in rows:
        pages.append(
            VirtualPage(
                f"tags/{row['id']}/index.md",
                f"Tag: {row['label']}",
                row["description"] or f"Entries tagged {row['label']}.",
                render_html=_tag_renderer(cat, row),
            )
        )
    return pages


def _tag_renderer(cat: Catalogue, row: dict):
    def render_page(url: str) -> str:
        refs = cat.by_tag.get(row["id"], [])  # newest first
        entries = [cat.entries[r] for r in refs[:TAG_PAGE_ENTRIES]]
        return render(
            "tag.html", cat=cat, tag=row, entries=entries, total=len(refs), url=lambda target: relative_url(url, target)
        )

    return render_page
