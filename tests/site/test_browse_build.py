"""The built public site: no trace of drafts or members-only entries in any listing, facet count,
tag page, backlink, related list or sitemap: every output file is searched, and the members build
is checked to show the same words, so the search is known to be able to find them."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

DRAFT_MARK, MEMBERS_MARK = "zanzibarquill", "quokkamembers"
DRAFT_REF = "case-studies/attendance-mentors-pilot"
MEMBERS_REF = "minutes/peace-community-safety/2026-11-12"


def site_texts(site: Path) -> dict[str, str]:
    """Every output file as lower-case text (gzip files opened), keyed by its path in the site."""
    texts = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        texts[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="ignore").lower()
    return texts


def test_no_draft_or_members_trace_in_any_public_file(public_site):
    texts = site_texts(public_site)
    assert len(texts) > 100
    leaks = [
        name
        for name, text in texts.items()
        if DRAFT_MARK in text or MEMBERS_MARK in text or DRAFT_REF in text or MEMBERS_REF in text
    ]
    assert leaks == []


def test_the_members_build_does_show_the_members_entry_everywhere_browse_lists_it(members_site):
    texts = site_texts(members_site)
    for name in (
        "browse/rows.json",
        "minutes/rows.json",
        "tags/safeguarding/index.html",
        "sitemap.xml",
        "networks/peace-community-safety/index.html",
    ):
        assert MEMBERS_REF in texts[name] or MEMBERS_MARK in texts[name], name
    assert DRAFT_MARK not in "".join(texts.values())  # a draft is in no build


def network_option_count(site: Path, network: str) -> int:
    html = (site / "browse" / "index.html").read_text(encoding="utf-8")
    found = re.search(rf'<option value="{network}"[^>]*>[^<]*\((\d+)\)</option>', html)
    assert found, f"no {network} option in the browse filters"
    return int(found.group(1))


def test_facet_counts_leave_out_members_entries(public_site, members_site):
    network = "peace-community-safety"
    public_rows = json.loads((public_site / "browse" / "rows.json").read_text(encoding="utf-8"))
    column = public_rows["columns"].index("network")
    in_public = sum(network in row[column] for row in public_rows["rows"])
    assert network_option_count(public_site, network) == in_public
    assert network_option_count(members_site, network) == in_public + 1


def test_sitemap_lists_only_built_public_pages(public_site):
    sitemap = (public_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert any(loc.endswith("/browse/") for loc in locs) and any(loc.endswith("/tags/coaching/") for loc in locs)
    for loc in locs:
        path = re.sub(r"^[a-z]+://[^/]+/?", "", loc) or ""
        page = public_site / path / "index.html" if not path.endswith(".html") else public_site / path
        assert page.exists(), loc
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {os.environ["KB_TODAY"]}  # the build date is KB_TODAY


def test_entry_pages_carry_description_open_graph_and_breadcrumbs(public_site):
    html = (public_site / "case-studies" / "transition-coaching" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="Primary and secondary teachers worked in coaching pairs' in html
    assert '<meta property="og:title" content="Coaching pairs across the Year 6 to Year 7 transition">' in html
    assert '<meta property="og:type" content="article">' in html
    crumbs = re.search(r'<nav class="kb-breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</(?:a|li)>", crumbs) == [
        "Home",
        "Case studies",
        "Coaching pairs across the Year 6 to Year 7 transition",
    ]
