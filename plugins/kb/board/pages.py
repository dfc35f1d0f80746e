"""The board's pages: `board/`, a digest per term and per network per term, and the board parts
of network and learning-summary pages. Thin: digests, charts and feeds are computed elsewhere;
this module only decides which pages exist and what each template is given.
"""

from __future__ import annotations

from collections.abc import Callable

from kb.board.charts import actions_chart, meetings_chart, network_terms_chart
from kb.board.digest import COUNT_LABELS, NEW_WORK, TermDigest, all_digests, meetings_per_term, term_for_period
from kb.content.catalogue import Catalogue, Entry
from kb.content.model import ENTRY_TYPES
from kb.content.terms import Term, current_term, terms_until
from kb.content.urls import network_ref
from kb.feeds.atom import TYPE_FEEDS, feed_links
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render


def _links(cat: Catalogue, page_url: str) -> dict[str, Callable[[str], str]]:
    """url(): relative link for the screen; absolute(): the full address printed after a link on paper."""
    base = cat.site_url.rstrip("/") + "/" if cat.site_url else ""
    return {
        "url": lambda target: relative_url(page_url, target),
        "absolute": (lambda target: base + target) if base else (lambda target: "/" + target),
    }


def _common(cat: Catalogue) -> dict:
    return dict(
        cat=cat,
        count_labels=COUNT_LABELS,
        new_work=NEW_WORK,
        types=ENTRY_TYPES,
        this_term=current_term(cat.terms, cat.today),
        feeds=bool(cat.site_url),
        feed_links=feed_links,
    )


def _neighbours(cat: Catalogue, term: Term) -> tuple[Term | None, Term | None]:
    i = cat.terms.index(term)
    return (cat.terms[i - 1] if i else None), (cat.terms[i + 1] if i + 1 < len(cat.terms) else None)


def board_pages(cat: Catalogue) -> list[VirtualPage]:
    """board/, one digest per configured term and one per network per term."""
    digests = all_digests(cat)
    this_term = current_term(cat.terms, cat.today)
    summaries = cat.of_type("learning-summary")  # newest first (catalogue order)
    summary_terms = {s.ref: term_for_period(cat, s) for s in summaries}

    def board_html(page_url: str) -> str:
        return render(
            "board.html",
            **_common(cat),
            **_links(cat, page_url),
            summaries=summaries,
            summary_terms=summary_terms,
            digests=digests,
            past_terms=terms_until(cat.terms, cat.today),
            type_feeds=TYPE_FEEDS,
        )

    pages = [
        VirtualPage(
            "board/index.md",
            "Board",
            "Learning summaries for the partnership board and a digest of every network, term by term.",
            render_html=board_html,
            meta={"nav": True},
        )
    ]
    for term in cat.terms:
        pages.append(_digest_page(cat, digests[term.id], this_term))
        for nd in digests[term.id].networks:
            pages.append(_network_digest_page(cat, digests[term.id], nd.network, this_term))
    return pages


def _digest_page(cat: Catalogue, digest: TermDigest, this_term: Term | None) -> VirtualPage:
    term = digest.term
    previous, following = _neighbours(cat, term)

    def html(page_url: str) -> str:
        return render(
            "digest.html",
            **_common(cat),
            **_links(cat, page_url),
            digest=digest,
            term=term,
            previous=previous,
            following=following,
            charts=[meetings_chart(digest), actions_chart(digest)],
        )

    totals = digest.totals
    return VirtualPage(
        f"board/digest/{term.id}/index.md",
        f"Term digest: {term.label}",
        f"{totals['held']} meetings held, {totals['decisions']} decisions, {totals['overdue']} actions overdue, "
        f"across {totals['networks_active']} active networks in the {term.label.lower()}.",
        render_html=html,
    )


def _network_digest_page(cat: Catalogue, digest: TermDigest, network_id: str, this_term: Term | None) -> VirtualPage:
    term, nd = digest.term, digest.network(network_id)
    assert nd is not None  # network_id is one of digest.networks (board_pages)
    previous, following = _neighbours(cat, term)
    history = meetings_per_term(cat, network_id, [t for t in cat.terms if t.start <= max(term.start, cat.today)])

    def html(page_url: str) -> str:
        return render(
            "digest_network.html",
            **_common(cat),
            **_links(cat, page_url),
            digest=digest,
            term=term,
            nd=nd,
            previous=previous,
            following=following,
            charts=[
                actions_chart(digest, network_id),
                network_terms_chart(nd.title, history, f"chart-history-{term.id}-{network_id}"),
            ],
        )

    return VirtualPage(
        f"board/digest/{term.id}/{network_id}/index.md",
        f"{nd.title}: {term.label}",
        f"What {nd.title} did in the {term.label.lower()}: meetings, decisions, actions and new work.",
        render_html=html,
    )


def board_context(entry: Entry, cat: Catalogue) -> dict:
    """Extra template variables for network pages (term digest links, feeds) and learning summaries (the term beside them)."""
    if not cat.terms or entry.type not in ("network", "learning-summary"):
        return {}
    digests = all_digests(cat)
    if entry.type == "network":
        this_term = current_term(cat.terms, cat.today)
        assert this_term is not None  # cat.terms is not empty
        recent = list(terms_until(cat.terms, cat.today))[:3]
        return {
            "board": {
                "this_term": this_term,
                "nd": digests[this_term.id].network(entry.slug),
                "recent_terms": recent,
                "feeds": bool(cat.site_url),
                "feed": feed_links(network_ref(entry.slug)),
                "count_labels": COUNT_LABELS,
            }
        }
    term = term_for_period(cat, entry)
    return {"board": {"term": term, "digest": digests[term.id] if term else None, "count_labels": COUNT_LABELS}}
