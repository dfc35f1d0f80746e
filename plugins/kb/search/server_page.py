"""The search page with its results in it, for a request with ?q= that reaches the search service.

The built `search/index.html` holds its form and empty result regions between two markers (templates/search.html);
kb-search.js fills them from /api/search. A phone with scripts off gets nothing from that, so the service renders
the same regions (templates/_search_body.html) with the same answer the API gives and puts them between the
markers: the same markup the script makes, with links where the script has buttons. When the script runs it
clears the regions and takes over. Every piece of entry text goes through Jinja's autoescape.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from kb.pages.page import relative_url
from kb.pages.render import nicedate, render

START, END = "<!--kb:search-answer-->", "<!--/kb:search-answer-->"
PAGE_URL = "search/"
PAGE_FILE = "search/index.html"
# The query string the page keeps its state in: the same names, in the same order, as kb-search.js's PARAMS.
PARAMS = ("q", "type", "network", "tag", "phase", "approach", "brokerage", "year", "plain", "page", "sort")
KEPT = ("type", "network", "tag", "phase", "approach", "brokerage", "year", "plain")  # carried by a new search
FACETS = (
    ("type", "Type"),
    ("network", "Network"),
    ("phase", "Phase"),
    ("tag", "Tag"),
    ("approach", "Approach"),
    ("brokerage", "Brokerage role"),
    ("year", "Year"),
)


def default_page(index_dir: Path, site_dir: Path | None) -> Path:
    """The built search page the service fills: in the site it serves, else in the site beside its index
    (`site.search/` -> `site/search/index.html`, as kb build and kb publish lay them out)."""
    if site_dir is not None:
        return Path(site_dir) / PAGE_FILE
    index_dir = Path(index_dir)
    return index_dir.with_name(index_dir.name.removesuffix(".search")) / PAGE_FILE


def wants_answer(query: Mapping[str, str]) -> bool:
    """Whether a request for the page asks a search (otherwise the built page is answered as it is)."""
    return any(query.get(name) for name in PARAMS)


def state(query: Mapping[str, str]) -> dict[str, str]:
    """The page's arguments as the script reads them: every name, empty when absent."""
    return {name: str(query.get(name) or "") for name in PARAMS}


def link_to(args: dict[str, str]) -> Callable[..., str]:
    """A query string with some arguments changed, written as kb-search.js writes its addresses (no page 1,
    no default order), so a link and the script's own history entries look alike."""

    def link(**changes: Any) -> str:
        merged = {**args, **{k: str(v) for k, v in changes.items()}}
        kept = {
            k: v
            for k in PARAMS
            if (v := merged.get(k, "")) and not (k == "page" and v == "1") and not (k == "sort" and v == "relevance")
        }
        return "?" + urlencode(kept) if kept else "./"

    return link


def marked(text: str, ranges: list[list[int]] | None) -> list[tuple[str, bool]]:
    """Text cut into (piece, highlighted) at the API's [start, end) offsets, skipping ranges out of order (as the script)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in ranges or []:
        if start < last or end > len(text):
            continue
        pieces += [(text[last:start], False), (text[start:end], True)]
        last = end
    pieces.append((text[last:], False))
    return [(piece, mark) for piece, mark in pieces if piece]


def result_meta(hit: dict[str, Any]) -> str:
    """'Case study · 9 March 2026 · SEND network', as the script writes it."""
    parts = [str(hit.get("type_label") or "")]
    if hit.get("date"):
        with contextlib.suppress(ValueError):  # a date the index could not hold: the line goes without it
            parts.append(nicedate(datetime.date.fromisoformat(hit["date"])))
    parts += [str(n.get("label", "")) for n in hit.get("networks") or []]
    return " · ".join(p for p in parts if p)


def status_line(answer: dict[str, Any]) -> str:
    total = int(answer.get("total") or 0)
    count = "No entries found" if total == 0 else "1 entry found" if total == 1 else f"{total} entries found"
    if (answer.get("pages") or 0) > 1:
        count += f", page {answer['page']} of {answer['pages']}"
    return " ".join([count + ".", *answer.get("notes", [])])


def facet_groups(answer: dict[str, Any], args: dict[str, str]) -> list[dict[str, Any]]:
    """The filters, in the script's order: a facet with values, or one chosen (so it can be taken off)."""
    found = answer.get("facets") or {}
    return [
        {"name": name, "label": label, "options": found.get(name) or []}
        for name, label in FACETS
        if found.get(name) or args.get(name)
    ]


def render_body(answer: dict[str, Any] | None, args: dict[str, str], status: str = "") -> str:
    """The page's form and regions: empty for the built page (answer None), filled for the service."""
    link = link_to(args)
    plain = [k for k in args.get("plain", "").split(",") if k]

    def soft_toggle(soft: dict[str, Any]) -> str:
        return ",".join(plain + [soft["key"]] if soft.get("on") else [k for k in plain if k != soft["key"]])

    return render(
        "_search_body.html",
        answer=answer,
        args=args,
        status=status or (status_line(answer) if answer is not None else ""),
        facets=facet_groups(answer, args) if answer is not None else [],
        filter_names=KEPT,
        link=link,
        soft_toggle=soft_toggle,
        marked=marked,
        result_meta=result_meta,
        url=lambda target: relative_url(PAGE_URL, target),
    )


NO_ANSWER: dict[str, Any] = {"results": [], "soft": [], "card": None, "did_you_mean": None, "pages": 0, "facets": {}}


def filled(page_html: str, answer: dict[str, Any] | None, args: dict[str, str], error: str = "") -> str | None:
    """The built page with the answer (or, for a search that could not run, the reason) between its markers;
    None when the page has no markers (a site built before them): the caller answers the page as it is."""
    start, end = page_html.find(START), page_html.find(END)
    if start < 0 or end < start:
        return None
    body = render_body(answer if answer is not None else NO_ANSWER, args, status=error)
    return page_html[: start + len(START)] + "\n" + body + page_html[end:]
