"""Listings (listings.py): the rows files, paging at build time and escaping, on the catalogue alone (no build)."""

from __future__ import annotations

import datetime as dt
import json

from kb.site.facets import ROW_COLUMNS, listing_rows
from kb.site.listings import LISTINGS, PER_PAGE, listing_files, listing_pages, page_url
from tests.factories import catalogue
from tests.site.conftest import case


def test_rows_file_is_compact_and_holds_only_the_listing(cat):
    files = listing_files(cat)
    assert set(files) == {f"{listing.prefix}/rows.json" for listing in LISTINGS}
    data = json.loads(files["case-studies/rows.json"])
    assert data["columns"] == ROW_COLUMNS
    assert [row[0] for row in data["rows"]] == ["case-studies/a/", "case-studies/b/"]
    everything = files["browse/rows.json"]
    assert "zanzibarquill" not in everything and "quokkamembers" not in everything
    assert "networks/equity/" not in [row[0] for row in json.loads(everything)["rows"]]
    assert listing_rows([cat.entries["case-studies/a"]])[0][2] == "2026-03-01"


def test_listings_are_paged_at_build_time():
    many = [
        case(f"case-studies/c{i:03}", (dt.date(2026, 1, 1) - dt.timedelta(days=i)).isoformat()) for i in range(2 * PER_PAGE + 1)
    ]
    big = catalogue(many)
    pages = {p.src_uri: p for p in listing_pages(big)}
    assert {"case-studies/index.md", "case-studies/page/2/index.md", "case-studies/page/3/index.md"} <= set(pages)
    assert "case-studies/page/4/index.md" not in pages
    assert page_url("case-studies", 1) == "case-studies/" and page_url("case-studies", 3) == "case-studies/page/3/"
    first = pages["case-studies/index.md"].render_html("case-studies/")
    assert first.count('class="kb-card ') == PER_PAGE
    assert "C000" in first and "C050" not in first  # newest first
    third = pages["case-studies/page/3/index.md"].render_html("case-studies/page/3/")
    assert third.count('class="kb-card ') == 1 and 'aria-current="page"' in third
    assert 'href="../../"' in third  # pagination back to the first page, relative
    assert pages["research/index.md"].render_html("research/").count("Nothing has been published here yet") == 1


def test_listing_page_escapes_entry_text():
    evil = case("case-studies/evil", title='<script>alert("x")</script> & "quotes"')
    html = {p.src_uri: p for p in listing_pages(catalogue([evil]))}["case-studies/index.md"].render_html("case-studies/")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_without_javascript_a_listing_links_to_each_network_type_and_tag_page(public_site):
    """The filters' <noscript> links lead to built pages: network hubs, the other listings, tag pages."""
    import re

    for prefix in ("browse", "case-studies", "minutes"):
        html = (public_site / prefix / "index.html").read_text(encoding="utf-8")
        block = html[html.index('<nav class="kb-browse-by"') : html.index("</nav>", html.index('<nav class="kb-browse-by"'))]
        hrefs = re.findall(r'href="\.\./([^"]+)"', block)
        assert any(h.startswith("networks/") for h in hrefs) and any(h.startswith("tags/") for h in hrefs)
        assert f"{prefix}/" not in hrefs  # the other listings, not this one
        assert prefix == "browse" or "browse/" in hrefs
        for href in hrefs:
            assert (public_site / href / "index.html").exists(), f"{prefix}/ links to {href}, which was not built"
        assert "Filters need JavaScript" not in html
