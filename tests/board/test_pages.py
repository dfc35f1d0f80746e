"""The board's pages (board/pages.py): which pages exist, their titles and descriptions, what each template gets."""

from __future__ import annotations

import re

import pytest

from kb.board.digest import COUNT_LABELS, all_digests
from kb.board.pages import board_context, board_pages
from kb.feeds.atom import feed_links
from tests.board.conftest import catalogue
from tests.factories import entry

NETWORKS = ("equity", "quiet", "send")  # the digest's order: by title


def test_one_page_for_the_board_one_per_term_and_one_per_network_per_term(digest_project):
    cat = catalogue(digest_project)
    pages = board_pages(cat)
    expected = ["board/index.md"]
    for term in cat.terms:
        expected += [f"board/digest/{term.id}/index.md"] + [f"board/digest/{term.id}/{n}/index.md" for n in NETWORKS]
    assert [p.src_uri for p in pages] == expected
    assert len(pages) == 1 + len(cat.terms) * (1 + len(NETWORKS)) == 25
    assert pages[0].title == "Board" and pages[0].meta == {"nav": True}
    assert all(p.meta == {} for p in pages[1:])  # digests are reached from the board, not the navigation


def test_digest_titles_and_descriptions_carry_the_counts(digest_project):
    pages = {p.src_uri: p for p in board_pages(catalogue(digest_project))}
    autumn = pages["board/digest/autumn-2026/index.md"]
    assert autumn.title == "Term digest: Autumn term 2026"
    assert autumn.description == (
        "1 meetings held, 1 decisions, 1 actions overdue, across 2 active networks in the autumn term 2026."
    )
    summer = pages["board/digest/summer-2026/index.md"]
    assert summer.description == (
        "2 meetings held, 3 decisions, 1 actions overdue, across 2 active networks in the summer term 2026."
    )
    spring = pages["board/digest/spring-2027/index.md"]
    assert spring.description.startswith("0 meetings held, 0 decisions, 0 actions overdue, across 0 active networks")
    equity = pages["board/digest/autumn-2026/equity/index.md"]
    assert equity.title == "Equity: Autumn term 2026"
    assert equity.description == "What Equity did in the autumn term 2026: meetings, decisions, actions and new work."
    assert pages["board/digest/autumn-2026/send/index.md"].title == "SEND: Autumn term 2026"


def test_without_term_dates_there_is_only_the_board_page(project):
    cat = project.catalogue()
    assert cat.terms == []
    (page,) = board_pages(cat)
    assert page.src_uri == "board/index.md"
    assert "No term dates are set" in page.render_html("board/")


def rendered(cat) -> dict[str, str]:
    return {p.src_uri: p.render_html(p.src_uri.removesuffix("index.md")) for p in board_pages(cat)}


@pytest.mark.parametrize("site_url", ["https://learning.example.org/alliance/", "https://learning.example.org/alliance"])
def test_print_links_are_absolute_when_site_url_is_set(digest_project, site_url):
    cat = catalogue(digest_project)
    cat.site_url = site_url
    html = rendered(cat)
    board = html["board/index.md"]
    assert 'href="digest/autumn-2026/" data-print-url="https://learning.example.org/alliance/board/digest/autumn-2026/"' in board
    for src, text in html.items():
        printed = re.findall(r'data-print-url="([^"]*)"', text)
        assert printed, src
        assert all(u.startswith("https://learning.example.org/alliance/") and "//" not in u[8:] for u in printed), src


def test_print_links_are_site_absolute_paths_without_site_url(digest_project):
    cat = catalogue(digest_project)
    html = rendered(cat)
    assert 'data-print-url="/board/digest/autumn-2026/"' in html["board/index.md"]
    for src, text in html.items():
        assert all(u.startswith("/") and not u.startswith("//") for u in re.findall(r'data-print-url="([^"]*)"', text)), src


def test_board_pages_show_nothing_private(digest_project):
    for build in (catalogue(digest_project), catalogue(digest_project, members=True)):
        for src, text in rendered(build).items():
            assert "Zanzibarquill" not in text and "Secret draft decision" not in text, src
    public = rendered(catalogue(digest_project))
    assert not any("Quokkamembers" in text or "Members decision" in text for text in public.values())


def test_board_context_of_a_network(digest_project):
    cat = catalogue(digest_project)
    board = board_context(cat.entries["networks/equity"], cat)["board"]
    assert set(board) == {"this_term", "nd", "recent_terms", "feeds", "feed", "count_labels"}
    assert board["this_term"].id == "autumn-2026"
    assert board["nd"] is all_digests(cat)["autumn-2026"].network("equity")
    assert [t.id for t in board["recent_terms"]] == ["autumn-2026", "summer-2026", "spring-2026"]  # newest three begun
    assert board["feeds"] is False and board["feed"] == feed_links("networks/equity")
    assert board["count_labels"] is COUNT_LABELS
    cat.site_url = "https://learning.example.org/"
    assert board_context(cat.entries["networks/equity"], cat)["board"]["feeds"] is True


def test_board_context_of_a_learning_summary(digest_project):
    cat = catalogue(digest_project)
    assert board_context(cat.entries["summaries/autumn-2026"], cat) == {
        "board": {"term": cat.terms[3], "digest": all_digests(cat)["autumn-2026"], "count_labels": COUNT_LABELS}
    }
    assert cat.terms[3].id == "autumn-2026"
    elsewhere = entry("summaries/far-future", date="2031-01-10", etype="learning-summary")
    elsewhere.meta["period"] = {"from": elsewhere.date, "to": elsewhere.date}
    assert board_context(elsewhere, cat) == {"board": {"term": None, "digest": None, "count_labels": COUNT_LABELS}}


@pytest.mark.parametrize("ref", ["case-studies/shared-study", "minutes/equity/2026-09-01"])
def test_board_context_of_other_types_is_empty(digest_project, ref):
    cat = catalogue(digest_project)
    assert board_context(cat.entries[ref], cat) == {}


def test_board_context_is_empty_without_term_dates(project):
    cat = project.catalogue()
    assert board_context(cat.entries["networks/equity"], cat) == {}
