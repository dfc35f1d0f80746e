"""The search page and its static-hosting fallback (search/page.py): the API address, and rows of visible entries only."""

from __future__ import annotations

import json
import re

import pytest

from kb.content.model import ENTRY_TYPES
from kb.search.names import labels as vocabulary_labels
from kb.search.page import FALLBACK_FILE, fallback_rows, search_files, search_pages
from tests.conftest import MINI_CASE


@pytest.fixture
def hidden(project):
    """A draft and a members-only entry beside the published one."""
    project.write(
        "content/case-studies/draft.md",
        MINI_CASE.replace("Coaching in Year 7", "Zanzibarquill draft").replace("status: published", "status: draft"),
    )
    project.write(
        "content/case-studies/members.md",
        MINI_CASE.replace("Coaching in Year 7", "Quokkamembers study").replace(
            "status: published", "status: published\nvisibility: members"
        ),
    )
    return project


def page_html(cat) -> str:
    (page,) = search_pages(cat)
    return page.render_html("search/")


def data_attributes(html: str) -> dict[str, str]:
    tag = re.search(r"<div class=\"kb-search\"[^>]*>", html).group()
    return dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', tag))


def test_the_search_page_is_in_the_navigation(project):
    (page,) = search_pages(project.catalogue())
    assert page.src_uri == "search/index.md" and page.title == "Search" and page.meta == {"nav": True}
    assert page.entry is None and page.description


def test_the_page_asks_the_api_address_the_build_was_given(project):
    cat = project.catalogue()
    assert data_attributes(page_html(cat))["data-api"] == ""  # a plain build: api/search beside the site
    cat.search_api = "http://127.0.0.1:8001/api/search"  # kb serve runs the API on another port
    attributes = data_attributes(page_html(cat))
    assert attributes["data-api"] == "http://127.0.0.1:8001/api/search"
    assert attributes["data-fallback"] == "fallback.json" and attributes["data-root"] == ".."  # relative to search/


def test_the_api_address_is_escaped(project):
    cat = project.catalogue()
    cat.search_api = 'x" onmouseover="alert(1)"><script>alert(2)</script>'
    html = page_html(cat)
    assert "<script>alert(2)" not in html and 'onmouseover="alert(1)"' not in html
    assert "x&#34; onmouseover=&#34;alert(1)&#34;&gt;&lt;script&gt;" in html
    assert data_attributes(html)["data-api"].startswith("x&#34;")  # the attribute holds the whole address


def test_fallback_rows_hold_only_the_entries_the_build_shows(hidden):
    public = fallback_rows(hidden.catalogue())
    titles = [row["t"] for row in public]
    assert "Coaching in Year 7" in titles
    assert "Quokkamembers study" not in titles and "Zanzibarquill draft" not in titles
    members = [row["t"] for row in fallback_rows(hidden.catalogue(members=True))]
    assert "Quokkamembers study" in members and "Zanzibarquill draft" not in members
    assert len(public) == len(hidden.catalogue().entries) and len(members) == len(public) + 1


def test_fallback_row_fields(project):
    rows = {row["u"]: row for row in fallback_rows(project.catalogue())}
    assert rows["case-studies/coaching-year-7/"] == {
        "u": "case-studies/coaching-year-7/",
        "t": "Coaching in Year 7",
        "s": "How coaching settled Year 7.",
        "y": "case-study",
        "d": "2026-03-12",
        "n": ["equity"],
        "g": ["coaching"],
        "p": ["primary"],  # its network's phases (the case study has none of its own)
        "a": "enquiring",
    }
    network = rows["networks/equity/"]
    assert network["y"] == "network" and network["d"] == "" and network["n"] == ["equity"] and network["g"] == []


def test_fallback_rows_are_newest_first_like_the_catalogue(project):
    project.write(
        "content/case-studies/later.md", MINI_CASE.replace("Coaching in Year 7", "Later").replace("2026-03-12", "2026-06-01")
    )
    rows = fallback_rows(project.catalogue())
    assert [row["t"] for row in rows][:2] == ["Later", "Coaching in Year 7"]


def test_fallback_file_has_the_rows_and_their_labels(hidden):
    cat = hidden.catalogue()
    files = search_files(cat)
    assert list(files) == [FALLBACK_FILE] == ["search/fallback.json"]
    data = json.loads(files[FALLBACK_FILE])
    assert data["rows"] == fallback_rows(cat)
    assert data["labels"] == {
        "type": {name: t.label for name, t in ENTRY_TYPES.items()},
        "network": {"equity": "Equity", "send": "SEND"},
        "tag": {"attendance": "Attendance", "coaching": "Coaching"},
        **vocabulary_labels(cat),
    }
    assert data["labels"]["phase"]["post-16"] == "Post 16"  # this project has no About pages: a label made from the id
    assert "Quokkamembers" not in files[FALLBACK_FILE] and "Zanzibarquill" not in files[FALLBACK_FILE]


def test_fallback_file_is_compact_and_keeps_non_ascii_text(project):
    project.write("content/case-studies/cafe.md", MINI_CASE.replace("Coaching in Year 7", "Café “talk” in Year 7"))
    text = search_files(project.catalogue())[FALLBACK_FILE]
    assert "Café “talk” in Year 7" in text and "\\u" not in text
    assert '": ' not in text and '", "' not in text and '","' in text  # no spaces after separators
